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

/** The output items' JSON, for short assertions. */
const jsons = (result) => result.output.map((item) => item.json);

module.exports = { sandbox, credentials, run, jsons, runHelloTech, executeWorkflow };
