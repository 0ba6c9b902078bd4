'use strict';
// Secrets in HelloTech's answers never reach an error, in any of its properties, nor the run
// data n8n keeps: the values of secret-named fields are redacted wherever an answer carries them,
// and every property of every error the node throws or outputs is cleaned.
const { sandbox, run, jsons, credentials } = require('./helpers');
const { pollTrigger } = require('./harness/engine');

const client = (operation, overrides = {}) => ({ resource: 'client', operation, ...overrides });

/** Every string reachable from an error's own properties (its node aside), its stack and its JSON form. */
function everything(error) {
	const strings = [JSON.stringify(error)];
	const seen = new Set();
	const walk = (value, depth) => {
		if (value === null || value === undefined || depth > 8) return;
		if (typeof value === 'string') return void strings.push(value);
		if (typeof value !== 'object' || seen.has(value)) return;
		seen.add(value);
		for (const key of Object.getOwnPropertyNames(value)) {
			if (key === 'node' && depth === 0) continue; // the workflow's node: the user's own parameters
			walk(value[key], depth + 1);
		}
	};
	walk(error, 0);
	return strings.join('\n');
}

beforeEach(() => sandbox.reset());

describe('secret-named fields in an answer are redacted', () => {
	test('a 422 naming client_secret, not in Stripe format, never shows its value', async () => {
		const secret = 'CS-9f8e7d6c5b4a3f2e1d';
		const added = await sandbox.addClient({ email: 'a@example.com' });
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 422, body: { errors: { client_secret: [`${secret} is invalid`] } }, method: 'PUT' }] });
		const result = await run(client('update', { clientId: String(added.id), email: 'a@example.com' }));
		expect(result.error.message).toBe('HelloTech could not accept the data: client_secret [redacted] [item 0]');
		expect(everything(result.error)).not.toContain(secret);
		expect(JSON.stringify(result.run)).not.toContain(secret);
	});

	test.each(['secret', 'token', 'authentication_token', 'api_key', 'apiKey', 'ephemeral_key', 'access_token', 'password'])(
		'an error body carrying %s: its value is hidden wherever the body repeats it',
		async (field) => {
			const value = `v4lue-${field}-8c1d2e3f`;
			await sandbox.faults({
				rules: [{ kind: '5xx-before', status: 400, body: { errors: [`Request rejected for ${value}`], details: { [field]: value } }, method: 'GET' }],
			});
			const result = await run(client('get', { clientId: '7001' }));
			expect(result.error.message).toBe('HelloTech rejected the request as invalid: Request rejected for [redacted] [item 0]');
			expect(everything(result.error)).not.toContain(value);
			expect(JSON.stringify(result.run)).not.toContain(value);
		},
	);

	test('with Continue On Fail, the error item carries no secret either', async () => {
		const value = 'tok_9a8b7c6d5e4f';
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 422, body: { error: { message: `token ${value} expired`, token: value } }, method: 'GET' }] });
		const result = await run(client('get', { clientId: '7001' }), { continueOnFail: true });
		expect(jsons(result)[0].error).toBe('HelloTech could not accept the data: token [redacted] expired [item 0]');
		expect(JSON.stringify(result.run)).not.toContain(value);
	});

	test('a failing trigger poll: the error n8n reports is free of it', async () => {
		const value = 'tok_live_5f4e3d2c1b';
		await sandbox.faults({ rules: [{ kind: '5xx-before', status: 403, body: { errors: { authentication_token: [`${value} is expired`] } }, method: 'GET' }] });
		const result = await pollTrigger({ event: 'newOrder' }, { credentials: credentials(), nodeName: 'HelloTech Trigger' });
		expect(result.error.message).toBe('HelloTech does not allow this API key to do that: authentication_token [redacted]');
		expect(everything(result.error)).not.toContain(value);
	});
});

describe('an error thrown when the node stops is clean in every property', () => {
	test.each([false, true])(
		'a secret another item learns while the failing item is already in error (opaque secrets: %s): not in the message, description, errorResponse, messages, stack or JSON, nor in the run',
		async (opaqueSecrets) => {
			await sandbox.reset({ opaqueSecrets });
			const first = await sandbox.addClient({ email: 'a@example.com' });
			const second = await sandbox.addClient({ email: 'b@example.com' });
			// Item 0's secret is issued at once but its answer leaves last; item 1's error echoes the
			// secret in its text only (no secret-named field to learn it from) in between.
			await sandbox.faults({
				rules: [
					{ kind: 'slow-after', ms: 400, method: 'POST', pathPattern: `/clients/${first.id}/setup_intent$` },
					{ kind: 'echo-secret', withField: false, ms: 100, status: 400, method: 'POST', pathPattern: `/clients/${second.id}/setup_intent$` },
				],
			});
			const result = await run(client('createSetupIntent', { clientId: '={{ $json.id }}' }), { items: [{ id: first.id }, { id: second.id }] });
			const state = await sandbox.state();
			expect(state.log.map((entry) => [entry.path, entry.status]).sort()).toEqual([
				[`/api/partners/clients/${first.id}/setup_intent`, 200],
				[`/api/partners/clients/${second.id}/setup_intent`, 400],
			]);
			const [secret] = state.issuedSecrets;
			expect(result.error.message).toBe('HelloTech rejected the request as invalid: Stripe request failed for [redacted] [item 1]');
			expect(everything(result.error)).not.toContain(secret);
			expect(JSON.stringify(result.run)).not.toContain(secret);
		},
	);
});
