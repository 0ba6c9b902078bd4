'use strict';
// The warning under the output when n8n's Retry On Fail is on for an operation that writes:
// a re-run sends again what HelloTech had already accepted. Through n8n's engine.
const { sandbox, run } = require('./helpers');
const { autoMappedOrder, newClientOrder, sheetRow } = require('./fixtures');

beforeEach(() => sandbox.reset());

const retryOnFail = { nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 0 } };
const warning = (result) => result.hints.filter((hint) => /Retry On Fail/.test(hint.message));

describe('Retry On Fail on a write', () => {
	test.each([
		['Order → Create', newClientOrder(), 1],
		['Order → Create', autoMappedOrder(), 2],
		['Client → Create or Update', { resource: 'client', operation: 'create', email: 'maya@example.com' }, 2],
		['Client → Update', { resource: 'client', operation: 'update', clientId: '={{ $json.id }}', email: 'maya@example.com' }, 2],
	])('%s (version %d) shows a warning in the output pane', async (_name, parameters, typeVersion) => {
		const client = await sandbox.addClient({ email: 'maya@example.com' });
		const result = await run(parameters, { ...retryOnFail, typeVersion, items: [{ id: client.id, ...sheetRow() }] });
		expect(result.error).toBeUndefined();
		expect(warning(result)).toEqual([
			{
				type: 'warning',
				location: 'outputPane',
				message: expect.stringMatching(/^Retry On Fail is on \(Settings\): if this node fails, n8n runs it again for every item.*a Create makes a second order/),
			},
		]);
	});

	test('no warning for a read, nor for a write without Retry On Fail', async () => {
		const read = await run({ resource: 'order', operation: 'getAll' }, { ...retryOnFail, typeVersion: 2 });
		expect(read.error).toBeUndefined();
		expect(warning(read)).toEqual([]);
		const write = await run(autoMappedOrder(), { typeVersion: 2, items: [sheetRow()] });
		expect(write.error).toBeUndefined();
		expect(write.hints).toEqual([]);
	});
});
