'use strict';
// Client resource through n8n's engine against the sandbox over HTTP.
const path = require('path');

const { sandbox, run, jsons, runHelloTech, credentials, expectRefusedBeforeSending } = require('./helpers');
const { packageContents, NodeHelpers } = require('./harness/engine');

const client = (operation, overrides = {}) => ({ resource: 'client', operation, ...overrides });
const requests = async () => (await sandbox.state()).log;

beforeEach(() => sandbox.reset());

describe('Client → Create', () => {
	test('sends the email and every filled field, and outputs the client, paired to its item', async () => {
		const result = await run(
			client('create', {
				email: ' maya@example.com ',
				additionalFields: {
					externalId: 'crm-42',
					firstName: 'Maya',
					lastName: 'Lopez',
					fullAddress: '719 Flower St, Los Angeles, CA 90017',
					phone: '(310) 555-0123',
				},
			}),
		);
		expect(result.error).toBeUndefined();
		expect(result.output).toHaveLength(1);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		const [sent] = await requests();
		expect(sent.method).toBe('POST');
		expect(sent.path).toBe('/api/partners/clients');
		expect(sent.body).toEqual({
			email: 'maya@example.com',
			external_id: 'crm-42',
			first_name: 'Maya',
			last_name: 'Lopez',
			full_address: '719 Flower St, Los Angeles, CA 90017',
			phone: '(310) 555-0123',
		});
		const [created] = jsons(result);
		expect(created).toEqual(
			expect.objectContaining({
				id: expect.any(Number),
				external_id: 'crm-42',
				email: 'maya@example.com',
				address: { street: '719 Flower St', city: 'Los Angeles', state: 'CA', zip: '90017' },
			}),
		);
		expect((await sandbox.state()).clients.map((c) => c.id)).toEqual([created.id]);
	});

	test('with only an email, sends only the email', async () => {
		const result = await run(client('create', { email: 'sam@example.com' }));
		expect(result.error).toBeUndefined();
		expect((await requests())[0].body).toEqual({ email: 'sam@example.com' });
	});

	test('an External ID HelloTech already knows updates that client (the upsert), a new one creates one', async () => {
		const existing = await sandbox.addClient({ external_id: 'crm-42', email: 'old@example.com', first_name: 'Maya' });
		const result = await run(client('create', { email: '={{ $json.email }}', additionalFields: { externalId: '={{ $json.ext }}' } }), {
			items: [
				{ email: 'new@example.com', ext: 'crm-42' },
				{ email: 'other@example.com', ext: 'crm-43' },
			],
		});
		expect(result.error).toBeUndefined();
		const [updated, created] = jsons(result);
		expect(updated.id).toBe(existing.id);
		expect(updated.email).toBe('new@example.com');
		expect(updated.first_name).toBe('Maya');
		expect(created.id).not.toBe(existing.id);
		const { clients } = await sandbox.state();
		expect(clients.map((c) => [c.external_id, c.email])).toEqual([
			['crm-42', 'new@example.com'],
			['crm-43', 'other@example.com'],
		]);
	});

	test('the UI says that an existing External ID updates the client', () => {
		const { properties } = packageContents.nodes[0].description;
		const createEmail = properties.find(
			(p) => p.name === 'email' && p.displayOptions?.show?.resource?.includes('client') && p.displayOptions.show.operation?.includes('create'),
		);
		expect(createEmail.hint).toMatch(/External ID.*existing client is updated/);
	});
});

describe('Client → Create or Update', () => {
	/** The fields the editor shows for Client → Create in `version`, by name (with their definitions). */
	const shownFields = (version) => {
		const { description } = packageContents.nodes[0];
		const parameters = { resource: 'client', operation: 'create' };
		const node = { typeVersion: version };
		return description.properties.filter((property) => NodeHelpers.displayParameter(parameters, property, node, description));
	};

	test('is named for what it does, with the value workflows saved before still use', () => {
		const { description } = packageContents.nodes[0];
		const operation = description.properties.find((p) => p.name === 'operation' && p.displayOptions.show.resource.includes('client'));
		expect(operation.options.find((option) => option.value === 'create')).toEqual(
			expect.objectContaining({ name: 'Create or Update', action: 'Create or update a client' }),
		);
		expect(operation.default).toBe('create');
	});

	test('version 2 shows External ID beside Email, where its hint explains the update; version 1 keeps it in Additional Fields', () => {
		const v2 = shownFields(2);
		expect(v2.map((field) => field.name)).toEqual(expect.arrayContaining(['email', 'externalId', 'additionalFields']));
		expect(v2.find((field) => field.name === 'externalId').hint).toMatch(/already has a client with this External ID, that client is updated/);
		expect(v2.find((field) => field.name === 'email').hint).toBeUndefined();
		expect(v2.find((field) => field.name === 'additionalFields').options.map((option) => option.name)).not.toContain('externalId');

		const v1 = shownFields(1);
		expect(v1.map((field) => field.name)).not.toContain('externalId');
		expect(v1.find((field) => field.name === 'additionalFields').options.map((option) => option.name)).toContain('externalId');
	});

	test('version 2: an External ID HelloTech knows updates that client, a new one creates one', async () => {
		const existing = await sandbox.addClient({ external_id: 'crm-42', email: 'old@example.com', first_name: 'Maya' });
		const result = await run(client('create', { email: '={{ $json.email }}', externalId: '={{ $json.ext }}', additionalFields: { lastName: 'Lopez' } }), {
			typeVersion: 2,
			items: [
				{ email: 'new@example.com', ext: ' crm-42 ' },
				{ email: 'other@example.com', ext: '' },
			],
		});
		expect(result.error).toBeUndefined();
		// Sent side by side (version 2), so compared in the order of their emails.
		const bodies = (await requests()).map((entry) => entry.body).sort((x, y) => x.email.localeCompare(y.email));
		expect(bodies).toEqual([
			{ email: 'new@example.com', external_id: 'crm-42', last_name: 'Lopez' },
			{ email: 'other@example.com', last_name: 'Lopez' },
		]);
		const [updated, created] = jsons(result);
		expect(updated.id).toBe(existing.id);
		expect(created.id).not.toBe(existing.id);
	});

	test('version 1 reads External ID from Additional Fields only, as before', async () => {
		const result = await run(client('create', { email: 'maya@example.com', externalId: 'ignored', additionalFields: { externalId: 'crm-1' } }), { typeVersion: 1 });
		expect(result.error).toBeUndefined();
		expect((await requests())[0].body).toEqual({ email: 'maya@example.com', external_id: 'crm-1' });
	});
});

describe('Client → Get', () => {
	test('gets one client by ID', async () => {
		const existing = await sandbox.addClient({ email: 'sam@example.com', first_name: 'Sam', phone: '3105550123' });
		const result = await run(client('get', { clientId: String(existing.id) }));
		expect(result.error).toBeUndefined();
		expect(jsons(result)).toEqual([
			expect.objectContaining({ id: existing.id, email: 'sam@example.com', phone: { value: '3105550123', formatted: '(310) 555-0123' } }),
		]);
		const [sent] = await requests();
		expect([sent.method, sent.path]).toEqual(['GET', `/api/partners/clients/${existing.id}`]);
	});

	test('an unknown client is a clear not-found error', async () => {
		const result = await run(client('get', { clientId: '999' }));
		expect(result.error.message).toBe('Client 999 not found: HelloTech says "Record Not Found" [item 0]');
		expect(result.error.httpCode).toBe('404');
	});
});

describe('Client → Update', () => {
	test('sends the email and only the fields filled in; the others stay as they are', async () => {
		const existing = await sandbox.addClient({
			email: 'sam@example.com',
			external_id: 'crm-7',
			first_name: 'Sam',
			last_name: 'Reed',
			full_address: '350 5th Ave, New York, NY 10118',
			phone: '2125550102',
		});
		const result = await run(
			client('update', { clientId: String(existing.id), email: 'sam@example.com', updateFields: { lastName: 'Reed-Lopez', firstName: '' } }),
		);
		expect(result.error).toBeUndefined();
		const [sent] = await requests();
		expect([sent.method, sent.path]).toEqual(['PUT', `/api/partners/clients/${existing.id}`]);
		expect(sent.body).toEqual({ email: 'sam@example.com', last_name: 'Reed-Lopez' });
		const [updated] = jsons(result);
		expect(updated).toEqual(
			expect.objectContaining({
				id: existing.id,
				external_id: 'crm-7',
				first_name: 'Sam',
				last_name: 'Reed-Lopez',
				full_address: '350 5th Ave, New York, NY 10118',
			}),
		);
	});

	test('an unknown client is a clear not-found error', async () => {
		const result = await run(client('update', { clientId: '999', email: 'sam@example.com' }));
		expect(result.error.message).toBe('Client 999 not found: HelloTech says "Record Not Found" [item 0]');
		expect(result.error.httpCode).toBe('404');
	});
});

describe('Client → Create Setup Intent and Create Ephemeral Key', () => {
	test.each([
		['createSetupIntent', 'client_secret', 'setup_intent', /^seti_\w+_secret_\w+$/],
		['createEphemeralKey', 'ephemeral_key', 'ephemeral_key', /^ek_test_\w+$/],
	])('%s outputs the Stripe customer and the %s the user needs', async (operation, secretKey, endpoint, shape) => {
		const existing = await sandbox.addClient({ email: 'sam@example.com' });
		const result = await run(client(operation, { clientId: String(existing.id) }));
		expect(result.error).toBeUndefined();
		const state = await sandbox.state();
		expect(state.issuedSecrets).toHaveLength(1);
		const [issued] = state.issuedSecrets;
		expect(issued).toMatch(shape);
		expect(jsons(result)).toEqual([{ stripe_customer_id: expect.stringMatching(/^cus_/), [secretKey]: issued }]);
		expect(jsons(result)[0].stripe_customer_id).toBe(state.clients[0].stripe_customer_id);
		const [sent] = state.log;
		expect([sent.method, sent.path, sent.body]).toEqual(['POST', `/api/partners/clients/${existing.id}/${endpoint}`, undefined]);
	});

	test.each(['createSetupIntent', 'createEphemeralKey'])('%s for an unknown client is a clear not-found error', async (operation) => {
		const result = await run(client(operation, { clientId: '999' }));
		expect(result.error.message).toBe('Client 999 not found: HelloTech says "Record Not Found" [item 0]');
		expect(result.error.httpCode).toBe('404');
	});
});

describe('bad input never reaches the API', () => {
	const cases = [
		['Create: an email that is not one', client('create', { email: 'maya@' }), 'Email: "maya@" is not an email address [item 0]'],
		['Create: no email', client('create', { email: '={{ $json.email }}' }), 'Email: is required [item 0]'],
		[
			'Create: a phone that is not one',
			client('create', { email: 'maya@example.com', additionalFields: { phone: 'n/a' } }),
			'Phone: "n/a" is not a phone number [item 0]',
		],
		['Update: no email', client('update', { clientId: '7001', email: ' ', updateFields: { firstName: 'Sam' } }), 'Email: is required [item 0]'],
		['Update: an email that is not one', client('update', { clientId: '7001', email: 'sam at example.com' }), 'Email: "sam at example.com" is not an email address [item 0]'],
		['Update: no client ID', client('update', { clientId: '={{ $json.id }}', email: 'sam@example.com' }), 'Client ID: is required [item 0]'],
		['Get: a client ID that is not a number', client('get', { clientId: 'abc' }), 'Client ID: must be a positive whole number, got "abc" [item 0]'],
		['Create Setup Intent: a client ID of 0', client('createSetupIntent', { clientId: '0' }), 'Client ID: must be a positive whole number, got "0" [item 0]'],
		['Create Ephemeral Key: no client ID', client('createEphemeralKey', { clientId: '={{ $json.id }}' }), 'Client ID: is required [item 0]'],
	];

	test.each(cases)('%s', async (_name, parameters, message) => {
		await sandbox.addClient({ email: 'sam@example.com' }); // 7001: the bad input, not the ID, is what fails
		await expectRefusedBeforeSending(await run(parameters), message);
	});

	test('the error names the failing item', async () => {
		const result = await run(client('create', { email: '={{ $json.email }}' }), {
			items: [{ email: 'a@example.com' }, { email: 'b@example' }],
		});
		expect(result.error.message).toBe('Email: "b@example" is not an email address [item 1]');
		expect(result.error.context.itemIndex).toBe(1);
	});
});

describe('Continue On Fail', () => {
	test('a mixed batch: every item yields its client or an error item, paired to its source', async () => {
		const a = await sandbox.addClient({ email: 'a@example.com' });
		const b = await sandbox.addClient({ email: 'b@example.com' });
		const items = [
			{ id: a.id, email: 'a2@example.com', last: 'Adams' },
			{ id: b.id, email: 'not-an-email', last: 'Brown' },
			{ id: 999, email: 'c@example.com', last: 'Clark' },
			{ id: b.id, email: '', last: 'Brown' },
			{ id: b.id, email: 'b2@example.com', last: 'Brown' },
		];
		const result = await run(
			client('update', { clientId: '={{ $json.id }}', email: '={{ $json.email }}', updateFields: { lastName: '={{ $json.last }}' } }),
			{ items, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		const [first, second, third, fourth, fifth] = jsons(result);
		expect(first).toEqual(expect.objectContaining({ id: a.id, email: 'a2@example.com', last_name: 'Adams' }));
		expect(second).toEqual({ error: 'Email: "not-an-email" is not an email address [item 1]' });
		expect(third).toEqual({
			error: 'Client 999 not found: HelloTech says "Record Not Found" [item 2]',
			description: 'PUT /api/partners/clients/999 answered HTTP 404.',
			httpCode: '404',
		});
		expect(fourth).toEqual({ error: 'Email: is required [item 3]' });
		expect(fifth).toEqual(expect.objectContaining({ id: b.id, email: 'b2@example.com', last_name: 'Brown' }));
		// Only the three items with good input were sent, each once. (They are sent side by side,
		// up to Max Concurrent Requests, so the order they reach the sandbox in is not theirs.)
		expect((await requests()).map((entry) => entry.path).sort()).toEqual(
			[`/api/partners/clients/${a.id}`, '/api/partners/clients/999', `/api/partners/clients/${b.id}`].sort(),
		);
	});
});

/**
 * Records every log line while a test runs: the logger n8n-core hands to nodes (`this.logger`)
 * comes from n8n-core's own copy of @n8n/di, so a recorder put there sees exactly what the node
 * logs, at every level (the real logger drops debug lines at n8n's default level).
 */
function recordLogs() {
	const fromCore = (name) => require(require.resolve(name, { paths: [path.dirname(require.resolve('n8n-core'))] }));
	const { Container } = fromCore('@n8n/di');
	const { Logger } = fromCore('@n8n/backend-common');
	const original = Container.get(Logger);
	const lines = [];
	const recorder = { scoped: () => recorder };
	for (const level of ['error', 'warn', 'info', 'debug', 'verbose']) {
		recorder[level] = (message, metadata) => lines.push(JSON.stringify({ level, message, metadata }));
	}
	Container.set(Logger, recorder);
	return { lines, restore: () => Container.set(Logger, original) };
}

describe('Stripe secrets never reach an error or a log line', () => {
	const secretCases = [
		['createSetupIntent', 'client_secret', 'setup_intent', false],
		['createEphemeralKey', 'ephemeral_key', 'ephemeral_key', false],
		// Secrets without Stripe's prefixes: only a redactor that learned the issued value can hide them.
		['createSetupIntent', 'client_secret', 'setup_intent', true],
		['createEphemeralKey', 'ephemeral_key', 'ephemeral_key', true],
	];

	/** Two clients; the second one's request fails with an error body that repeats the secret just issued to the first. */
	async function setUp(endpoint, opaqueSecrets, status) {
		await sandbox.reset({ opaqueSecrets });
		const first = await sandbox.addClient({ email: 'a@example.com' });
		const second = await sandbox.addClient({ email: 'b@example.com' });
		await sandbox.faults({ rules: [{ kind: 'echo-secret', status, method: 'POST', pathPattern: `/clients/${second.id}/${endpoint}$` }] });
		return [first, second];
	}

	/** The failing request really did carry the secret back: the test would see a leak. */
	async function issuedAndEchoed(endpoint, secondId, status) {
		const state = await sandbox.state();
		expect(state.issuedSecrets).toHaveLength(1);
		expect(state.log.map((entry) => [entry.path, entry.status])).toEqual([
			[expect.stringMatching(new RegExp(`/${endpoint}$`)), 200],
			[`/api/partners/clients/${secondId}/${endpoint}`, status],
		]);
		return state.issuedSecrets[0];
	}

	test.each(secretCases)(
		'%s (%s from %s, opaque secrets: %s), Continue On Fail: the first item outputs its secret, the failing item\'s error does not carry it',
		async (operation, secretKey, endpoint, opaqueSecrets) => {
			const [first, second] = await setUp(endpoint, opaqueSecrets, 500);
			const logger = recordLogs();
			let result;
			try {
				result = await run(client(operation, { clientId: '={{ $json.id }}', requestOptions: { maxConcurrent: 1 } }), {
					items: [{ id: first.id }, { id: second.id }],
					continueOnFail: true,
				});
			} finally {
				logger.restore();
			}
			const secret = await issuedAndEchoed(endpoint, second.id, 500);
			const [ok, failed] = jsons(result);
			expect(ok[secretKey]).toBe(secret);
			expect(failed.error).toBe(
				`HelloTech failed to process the request (HTTP 500) (Stripe request failed for [redacted]); a ${secretKey === 'client_secret' ? 'setup intent' : 'ephemeral key'} may have been created for client ${second.id}; creating another one is harmless [item 1]`,
			);
			expect(failed.outcomeUnknown).toBe(true);
			expect(JSON.stringify(failed)).not.toContain(secret);
			expect(JSON.stringify(result.output[1])).not.toContain(secret);
			for (const line of logger.lines) expect(line).not.toContain(secret);
		},
	);

	test.each(secretCases)(
		'%s (%s from %s, opaque secrets: %s), without Continue On Fail: the node\'s error and the whole run are free of the secret',
		async (operation, _secretKey, endpoint, opaqueSecrets) => {
			const [first, second] = await setUp(endpoint, opaqueSecrets, 400);
			const logger = recordLogs();
			let result;
			try {
				result = await run(client(operation, { clientId: '={{ $json.id }}', requestOptions: { maxConcurrent: 1 } }), {
					items: [{ id: first.id }, { id: second.id }],
				});
			} finally {
				logger.restore();
			}
			const secret = await issuedAndEchoed(endpoint, second.id, 400);
			expect(result.error.message).toBe('HelloTech rejected the request as invalid: Stripe request failed for [redacted] [item 1]');
			expect(result.error.description).not.toContain(secret);
			expect(JSON.stringify(result.error)).not.toContain(secret);
			expect(JSON.stringify(result.run.data.resultData)).not.toContain(secret);
			for (const line of logger.lines) expect(line).not.toContain(secret);
		},
	);

	/**
	 * Items run concurrently: item 1's error can arrive while item 0's answer, holding the secret,
	 * is still on its way ('slow-after'), so the run's redactor has not learned it yet.
	 */
	async function raceRun(endpoint, operation, opaqueSecrets) {
		await sandbox.reset({ opaqueSecrets });
		const first = await sandbox.addClient({ email: 'a@example.com' });
		const second = await sandbox.addClient({ email: 'b@example.com' });
		// Item 0's secret is issued at once but its answer leaves last; item 1's error echoes it in between.
		await sandbox.faults({
			rules: [
				{ kind: 'slow-after', ms: 400, method: 'POST', pathPattern: `/clients/${first.id}/${endpoint}$` },
				{ kind: 'echo-secret', ms: 100, status: 500, method: 'POST', pathPattern: `/clients/${second.id}/${endpoint}$` },
			],
		});
		const result = await run(client(operation, { clientId: '={{ $json.id }}' }), {
			items: [{ id: first.id }, { id: second.id }],
			continueOnFail: true,
		});
		const state = await sandbox.state();
		expect(state.log.map((entry) => [entry.path, entry.status]).sort()).toEqual([
			[`/api/partners/clients/${first.id}/${endpoint}`, 200],
			[`/api/partners/clients/${second.id}/${endpoint}`, 500],
		]);
		expect(state.issuedSecrets).toHaveLength(1);
		return { result, secret: state.issuedSecrets[0] };
	}

	test.each([
		['createSetupIntent', 'setup_intent'],
		['createEphemeralKey', 'ephemeral_key'],
	])('%s, items in flight together: a Stripe-shaped secret the run has not seen yet is still hidden', async (operation, endpoint) => {
		const { result, secret } = await raceRun(endpoint, operation, false);
		expect(JSON.stringify(result.output[0].json)).toContain(secret);
		expect(result.output[1].json.error).toContain('Stripe request failed for [redacted]');
		expect(JSON.stringify(result.output[1])).not.toContain(secret);
	});

	// An error item's text is cleaned when all items have finished, so a secret without Stripe's
	// prefixes that another item learns later in the same run is hidden too.
	test('an opaque secret learned after another item failed is hidden too', async () => {
		const { result, secret } = await raceRun('setup_intent', 'createSetupIntent', true);
		expect(result.output[0].json.client_secret).toBe(secret);
		expect(JSON.stringify(result.output[1])).not.toContain(secret);
	});

	test('a retried read whose error body carries a secret logs the retry without it', async () => {
		const first = await sandbox.addClient({ email: 'a@example.com' });
		const issue = await run(client('createSetupIntent', { clientId: String(first.id) }));
		const secret = issue.output[0].json.client_secret;
		expect(secret).toMatch(/_secret_/);
		// Get fails twice with the secret in the body, then succeeds: two retries, each logged.
		await sandbox.faults({ rules: [{ kind: 'echo-secret', status: 502, method: 'GET', times: 2 }] });
		const logger = recordLogs();
		let result;
		try {
			result = await run(client('get', { clientId: String(first.id) }));
		} finally {
			logger.restore();
		}
		expect(result.error).toBeUndefined();
		expect(jsons(result)[0].id).toBe(first.id);
		const lines = logger.lines;
		expect(lines.filter((line) => line.includes('HelloTech: HTTP 502 on GET'))).toHaveLength(2);
		for (const line of lines) expect(line).not.toContain(secret);
	});

	test('the API key credential is not in a client error either', async () => {
		const result = await runHelloTech(client('get', { clientId: '1' }), { credentials: credentials({ apiKey: 'wrong-key-77aa' }) });
		expect(result.error.message).toBe('HelloTech refused the API key (HTTP 401): Invalid API key [item 0]');
		expect(JSON.stringify(result.run)).not.toContain('wrong-key-77aa');
	});
});
