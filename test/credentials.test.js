'use strict';
// The HelloTech API credential: what n8n's credential test sends, and that it tells a wrong key from a right one.
const axios = require('axios');
const { credentialTestRequest, credentialTypes, packageContents } = require('./harness/engine');
const { sandbox, credentials } = require('./helpers');

const send = async (request) =>
	await axios.request({
		method: request.method ?? 'GET',
		baseURL: request.baseURL,
		url: request.url,
		params: request.qs,
		headers: request.headers,
		validateStatus: () => true,
	});

beforeEach(() => sandbox.reset());

test('the credential is registered as helloTechApi, with a password API key and an editable Base URL', () => {
	expect(packageContents.credentials.map((c) => c.name)).toEqual(['helloTechApi']);
	const type = credentialTypes.get('helloTechApi');
	expect(type.displayName).toBe('HelloTech API');
	const [apiKey, baseUrl] = type.properties;
	expect(apiKey).toMatchObject({ name: 'apiKey', type: 'string', typeOptions: { password: true }, required: true });
	expect(baseUrl).toMatchObject({ name: 'baseUrl', type: 'string', default: 'https://apis.hellotech.com' });
	// The node asks for exactly this credential.
	const [node] = packageContents.nodes;
	expect(node.description.credentials).toEqual([{ name: 'helloTechApi', required: true }]);
});

test('the credential test lists one order with the Api-Key header, at the Base URL the user typed', async () => {
	const request = await credentialTestRequest('helloTechApi', credentials());
	expect(request.baseURL).toBe(process.env.HELLOTECH_SANDBOX_URL);
	expect(request.url).toBe('/api/partners/orders');
	expect(request.qs).toEqual({ limit: 1 });
	expect(request.headers['Api-Key']).toBe(process.env.HELLOTECH_SANDBOX_KEY);

	const response = await send(request);
	expect(response.status).toBe(200);
	expect(Array.isArray(response.data.orders)).toBe(true);
});

test('the credential test fails for a wrong key', async () => {
	const request = await credentialTestRequest('helloTechApi', credentials({ apiKey: 'not-the-key' }));
	const response = await send(request);
	expect(response.status).toBe(401);
	const { log } = await sandbox.state();
	expect(log).toHaveLength(1);
	expect(log[0].apiKeyOk).toBe(false);
});

test('the credential test says what a failing status means: a wrong key is "refused", not just "Unauthorized"', async () => {
	// n8n shows the message of the rule whose status matches the test request's answer.
	const { rules } = credentialTypes.get('helloTechApi').test;
	const messageFor = (status) => rules.find((rule) => rule.type === 'responseCode' && rule.properties.value === status)?.properties.message;
	const request = await credentialTestRequest('helloTechApi', credentials({ apiKey: 'not-the-key' }));
	expect(messageFor((await send(request)).status)).toMatch(/^HelloTech refused the API key \(HTTP 401\)\. Check the API Key/);
	const wrongPath = await credentialTestRequest('helloTechApi', credentials({ baseUrl: `${process.env.HELLOTECH_SANDBOX_URL}/nothing-here` }));
	expect(messageFor((await send(wrongPath)).status)).toMatch(/^No HelloTech Partner API at this Base URL \(HTTP 404/);
	for (const status of [403, 429, 500, 502, 503, 504]) expect(messageFor(status)).toMatch(/HelloTech/);
});

test('the node accepts a Base URL with a trailing slash, and refuses one that is no http(s) address', async () => {
	const { run } = require('./helpers');
	const withSlash = await run({ resource: 'order', operation: 'getAll' }, { credentials: credentials({ baseUrl: `${process.env.HELLOTECH_SANDBOX_URL}/` }) });
	expect(withSlash.error).toBeUndefined();
	const { log } = await sandbox.state();
	expect(log.map((entry) => entry.path)).toEqual(['/api/partners/orders']);

	const noScheme = await run({ resource: 'order', operation: 'getAll' }, { credentials: credentials({ baseUrl: 'apis.hellotech.com' }) });
	expect(noScheme.error.message).toBe('The HelloTech API credential\'s Base URL "apis.hellotech.com" is not an http(s) address');
});
