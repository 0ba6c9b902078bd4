'use strict';
/** What every engine test needs: the sandbox (control client), credentials for it, and the engine runner. */
const { controlClient } = require('./sandbox/control');
const { runHelloTech, executeWorkflow } = require('./harness/engine');

const url = process.env.HELLOTECH_SANDBOX_URL;
if (!url) throw new Error('HELLOTECH_SANDBOX_URL is not set: run the tests through jest (npm test)');

const sandbox = controlClient(url);
const credentials = (overrides = {}) => ({ apiKey: process.env.HELLOTECH_SANDBOX_KEY, baseUrl: url, ...overrides });

/** Runs the HelloTech node against the sandbox with the sandbox's credentials. */
const run = (parameters, options = {}) => runHelloTech(parameters, { credentials: credentials(), ...options });

/** Bad input: the node failed on item 0 with `message` (naming the field and the item) and sent HelloTech nothing. */
async function expectRefusedBeforeSending(result, message) {
	expect(result.error).toBeDefined();
	expect(result.error.name).toBe('NodeOperationError');
	expect(result.error.message).toBe(message);
	expect(result.error.context.itemIndex).toBe(0);
	expect((await sandbox.state()).log).toEqual([]);
}

/** The output items' JSON, for short assertions. */
const jsons = (result) => result.output.map((item) => item.json);

module.exports = { sandbox, credentials, run, jsons, runHelloTech, executeWorkflow, expectRefusedBeforeSending };
