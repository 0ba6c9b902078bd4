'use strict';
/**
 * Runs workflows through n8n's real execution engine (n8n-core's WorkflowExecute) with this
 * package's built node and credentials, the way n8n itself would: parameters resolved by the
 * workflow expression engine, credentials applied by a credentials helper from the credential
 * type's own `authenticate` block, requests made by n8n-core's HTTP helpers.
 *
 * Loads from dist/: run `npm run build` first (npm test does).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

if (!process.env.N8N_USER_FOLDER) {
	// n8n-core writes its instance settings there; never into the user's ~/.n8n. Under jest the
	// global setup gives one folder for the whole run (and removes it); a script using this harness
	// gets its own, removed when it exits.
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-n8n-'));
	process.env.N8N_USER_FOLDER = userFolder;
	process.once('exit', () => fs.rmSync(userFolder, { recursive: true, force: true }));
}
// A fixed key for the throwaway instance settings, so n8n-core does not generate and announce one.
process.env.N8N_ENCRYPTION_KEY ??= 'hellotech-test-only-encryption-key';

const { WorkflowExecute, ExecutionLifecycleHooks, LoadOptionsContext } = require('n8n-core');
const { Workflow, ICredentialsHelper, NodeHelpers, LoggerProxy, setSafeRegexEngine } = require('n8n-workflow');

/** n8n-core's own dependency container (it has a nested @n8n/di), where its services live. */
function coreContainer() {
	const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
	return require(require.resolve('@n8n/di', { paths: [coreDir] })).Container;
}

/** The Logger class n8n-core's container knows n8n's logger by. */
function coreLoggerClass() {
	const coreDir = path.dirname(require.resolve('n8n-core/package.json'));
	return require(require.resolve('@n8n/backend-common', { paths: [coreDir] })).Logger;
}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];

/**
 * A logger that writes n8n's log lines into `sink` ({ lines, dropped, max }) instead of the
 * terminal: the test environment (test/setup/environment.js) shows them only with a failing test.
 * Levels up to N8N_LOG_LEVEL (default info, as in n8n) are kept.
 */
function quietLogger(sink) {
	const wanted = LOG_LEVELS.indexOf(process.env.N8N_LOG_LEVEL ?? 'info');
	const write = (level) => (message, meta) => {
		let line = `${level}: ${message}`;
		if (meta && typeof meta === 'object' && Object.keys(meta).length > 0) {
			let json;
			try {
				json = JSON.stringify(meta);
			} catch {
				json = '[meta not serializable]';
			}
			line += ` ${json.length > 300 ? `${json.slice(0, 300)}…` : json}`;
		}
		sink.lines.push(line);
		if (sink.lines.length > sink.max) {
			sink.lines.shift();
			sink.dropped++;
		}
	};
	const logger = { scoped: () => logger };
	for (const [index, level] of LOG_LEVELS.entries()) logger[level] = index <= wanted ? write(level) : () => {};
	return logger;
}

/**
 * n8n-workflow runs the regular expressions of node parameters (a resource locator's validation,
 * say) in a vm context with a 250 ms wall-clock timeout, against catastrophic patterns. On a busy
 * machine a plain pattern can run out of that time and fail a test for no fault of its own (it
 * happened under test:stress). The tests give n8n-workflow the same expressions, run plainly.
 */
const plainRegexEngine = {
	exec: (pattern, input, flags) => new RegExp(pattern, flags).exec(input),
	test: (pattern, input, flags) => new RegExp(pattern, flags).test(input),
	replace: (pattern, input, flags, replacement) => input.replace(new RegExp(pattern, flags), replacement),
	matchAll: (pattern, input, flags = '') => [...input.matchAll(new RegExp(pattern, flags.includes('g') ? flags : `${flags}g`))],
	split: (pattern, input, flags) => input.split(new RegExp(pattern, flags)),
};

// Under the test environment (test/setup/environment.js): n8n's logger (n8n-core's container and
// n8n-workflow's LoggerProxy, which n8n-core's engine logs through) writes into the environment's
// buffer, and regular expressions run without the wall-clock watchdog.
if (globalThis.__HELLOTECH_N8N_LOG__) {
	const logger = quietLogger(globalThis.__HELLOTECH_N8N_LOG__);
	coreContainer().set(coreLoggerClass(), logger);
	LoggerProxy.init(logger);
	setSafeRegexEngine(plainRegexEngine);
}

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');

function loadPackage() {
	const pkg = require(path.join(ROOT, 'package.json'));
	const load = (file) => {
		const mod = require(path.join(ROOT, file));
		const Class = Object.values(mod).find((value) => typeof value === 'function');
		return new Class();
	};
	return {
		nodes: pkg.n8n.nodes.map(load),
		credentials: pkg.n8n.credentials.map(load),
	};
}

if (!fs.existsSync(path.join(DIST, 'nodes'))) {
	throw new Error('dist/ is missing: run `npm run build` before the tests');
}

const pkg = loadPackage();
const PACKAGE = require(path.join(ROOT, 'package.json')).name;

/** A start node that emits the items given in its `items` parameter (a JSON array of objects). */
class ItemsNode {
	description = {
		displayName: 'Test Items',
		name: 'testItems',
		group: ['trigger'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute() {
		const raw = this.getNodeParameter('items', 0);
		const list = typeof raw === 'string' ? JSON.parse(raw) : raw;
		return [list.map((json) => ({ json }))];
	}
}

/**
 * A stand-in for n8n's AI Agent: it takes the tools connected to its `ai_tool` input the way the
 * real agent does (n8n-core's getInputConnectionData, which turns a `usableAsTool` node into a
 * LangChain tool with n8n-core's own createNodeAsTool) and, instead of asking a model, makes the
 * calls its `calls` parameter lists (`[{ tool, args }]`). It puts out one item per tool (name,
 * description, JSON schema of its arguments) and one per call (the answer the model would read,
 * or the error it would be told).
 */
class ToolAgentNode {
	description = {
		displayName: 'Test Agent',
		name: 'testAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls the connected tools as a model would',
		defaults: { name: 'Agent' },
		inputs: ['main', { type: 'ai_tool', displayName: 'Tools', required: true }],
		outputs: ['main'],
		properties: [{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' }],
	};

	async execute() {
		const { zodToJsonSchema } = require('zod-to-json-schema');
		const connected = await this.getInputConnectionData('ai_tool', 0);
		const tools = (Array.isArray(connected) ? connected : [connected]).flatMap((tool) => tool.tools ?? [tool]);
		const raw = this.getNodeParameter('calls', 0);
		const calls = typeof raw === 'string' ? JSON.parse(raw) : raw;
		const out = tools.map((tool) => ({
			json: { kind: 'tool', name: tool.name, description: tool.description, schema: zodToJsonSchema(tool.schema) },
		}));
		for (const call of calls) {
			const tool = tools.find((candidate) => candidate.name === call.tool);
			if (!tool) throw new Error(`No tool named ${call.tool}: ${tools.map((candidate) => candidate.name).join(', ')}`);
			const json = { kind: 'call', tool: call.tool, args: call.args };
			try {
				json.answer = JSON.parse(await tool.invoke(call.args));
			} catch (error) {
				json.error = error.message;
			}
			out.push({ json });
		}
		return [out];
	}
}

/**
 * The AI tool twin of a node type, as n8n 2.x makes it for a node that is `usableAsTool` (the
 * conversion lives in the n8n application, not in n8n-core): the same node, its type name ending
 * in "Tool" (what n8n's `@tool` display condition checks), no main input, one `ai_tool` output,
 * and n8n's Tool Description fields first.
 */
function toolTwin(nodeType) {
	const { usableAsTool, properties, ...description } = nodeType.description;
	// n8n adds the tool's own description: set automatically (from the operation) or by hand.
	const toolDescription = [
		{
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Set Automatically', value: 'auto' },
				{ name: 'Set Manually', value: 'manual' },
			],
			default: 'auto',
		},
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: description.description,
			required: true,
			displayOptions: { show: { descriptionType: ['manual'] } },
		},
	];
	return Object.create(nodeType, {
		description: {
			value: {
				...description,
				name: `${description.name}Tool`,
				displayName: `${description.displayName} Tool`,
				inputs: [],
				outputs: ['ai_tool'],
				properties: [...toolDescription, ...properties],
			},
		},
	});
}

const nodeTypeMap = new Map();
const register = (name, instance) => nodeTypeMap.set(name, instance);
register('test.items', new ItemsNode());
register('test.agent', new ToolAgentNode());
for (const node of pkg.nodes) {
	register(`${PACKAGE}.${node.description.name}`, node);
	if (node.description.usableAsTool) register(`${PACKAGE}.${node.description.name}Tool`, toolTwin(node));
}

const nodeTypes = {
	getByName: (name) => nodeTypeMap.get(name),
	getByNameAndVersion: (name) => {
		const type = nodeTypeMap.get(name);
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	},
	getKnownTypes: () => ({}),
};

const credentialTypes = new Map(pkg.credentials.map((credential) => [credential.name, credential]));

/** Applies a credential type's generic `authenticate` block, resolving `={{$credentials.x}}`. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(data) {
		super();
		this.data = data;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const type = credentialTypes.get(typeName);
		const auth = type && type.authenticate;
		if (!auth) return requestOptions;
		if (typeof auth === 'function') return await auth(credentials, requestOptions);
		const resolve = (value) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		for (const [target, values] of Object.entries(auth.properties)) {
			requestOptions[target] = requestOptions[target] || {};
			for (const [key, value] of Object.entries(values)) requestOptions[target][key] = resolve(value);
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials() {
		throw new Error('not used');
	}

	async getDecrypted(_additionalData, _nodeCredentials, type) {
		if (!this.data[type]) throw new Error(`No test credentials of type ${type}`);
		return { ...this.data[type] };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(type) {
		return credentialTypes.get(type).properties;
	}
}

function additionalData(credentials, hooks) {
	return {
		hooks,
		credentialsHelper: new CredentialsHelper(credentials),
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		formBaseUrl: '',
		formWaitingBaseUrl: '',
		formTestBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		mcpBaseUrl: '',
		mcpTestBaseUrl: '',
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	};
}

let executionCounter = 0;

/**
 * Executes a workflow ({ nodes, connections, settings }) and resolves with the IRun n8n produced.
 * The first node without inputs starts it.
 */
async function executeWorkflow(workflowData, { credentials = {} } = {}) {
	const workflow = new Workflow({
		id: workflowData.id ?? 'test-workflow',
		name: workflowData.name ?? 'test',
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		nodeTypes,
		active: false,
		staticData: workflowData.staticData,
		settings: { timezone: 'America/Los_Angeles', ...(workflowData.settings ?? {}) },
	});
	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, { ...workflowData, id: workflow.id });
	let finished;
	const done = new Promise((resolve) => (finished = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finished(run));

	const startNode = workflowData.nodes.find((node) => {
		const type = nodeTypeMap.get(node.type);
		return type && type.description.inputs.length === 0;
	});
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: [{ node: workflow.getNode(startNode.name), data: { main: [[{ json: {} }]] }, source: null }],
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	};
	const execute = new WorkflowExecute(additionalData(credentials, hooks), 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	return await done;
}

const HELLOTECH_TYPE = `${PACKAGE}.helloTech`;

/** The node version tests run unless they name one: the version workflows saved before 2 use. */
const DEFAULT_TEST_VERSION = 1;

/** A HelloTech node with `parameters`, using the test credential. */
const helloTechNode = (parameters, name, typeVersion = DEFAULT_TEST_VERSION) => ({
	id: 'hellotech',
	name,
	type: HELLOTECH_TYPE,
	typeVersion,
	position: [0, 0],
	parameters,
	credentials: { helloTechApi: { id: '1', name: 'HelloTech account' } },
});

/**
 * Runs the HelloTech node once over `items` (each a JSON object) with `parameters`, behind an
 * items node, and returns what the engine recorded: the output items, the node's error, its
 * execution hints. `nodeSettings` are the node's own settings (e.g. `{ retryOnFail: true }`).
 */
async function runHelloTech(parameters, options = {}) {
	const {
		items = [{}],
		credentials,
		continueOnFail = false,
		settings,
		nodeName = 'HelloTech',
		typeVersion,
		nodeSettings = {},
	} = options;
	const nodes = [
		{
			id: 'items',
			name: 'Items',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(items) },
		},
		{
			...helloTechNode(parameters, nodeName, typeVersion),
			position: [200, 0],
			...(continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			...nodeSettings,
		},
	];
	const connections = { Items: { main: [[{ node: nodeName, type: 'main', index: 0 }]] } };
	const run = await executeWorkflow({ nodes, connections, settings }, { credentials: { helloTechApi: credentials } });
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	return {
		run,
		output: taskData?.data?.main?.[0] ?? [],
		error: taskData?.error ?? run.data.resultData.error,
		hints: taskData?.hints ?? [],
	};
}

/**
 * Calls one of the HelloTech node's `loadOptions` or `listSearch` methods the way n8n's editor
 * does (a one-node workflow, the node's current parameters, n8n-core's LoadOptionsContext) and
 * resolves with what it returns. `filter` is the search text of a resource locator's list,
 * `paginationToken` what its previous load returned (n8n sends it back for the next page).
 */
async function loadOptions(methodName, { credentials, filter, paginationToken, parameters = {}, typeVersion, withoutCredential = false } = {}) {
	const node = helloTechNode(parameters, 'HelloTech', typeVersion);
	// A node just added: n8n asks for its options before it attaches the default credential.
	if (withoutCredential) delete node.credentials;
	const workflow = new Workflow({ id: 'load-options', nodes: [node], connections: {}, nodeTypes, active: false });
	const data = { ...additionalData({ helloTechApi: credentials }, undefined), currentNodeParameters: parameters };
	const context = new LoadOptionsContext(workflow, workflow.getNode(node.name), data, 'parameters');
	const { methods } = nodeTypes.getByNameAndVersion(HELLOTECH_TYPE);
	if (methods.loadOptions?.[methodName]) return await methods.loadOptions[methodName].call(context);
	if (methods.listSearch?.[methodName]) return await methods.listSearch[methodName].call(context, filter, paginationToken);
	if (methods.resourceMapping?.[methodName]) return await methods.resourceMapping[methodName].call(context);
	throw new Error(`The HelloTech node has no loadOptions, listSearch or resourceMapping method ${methodName}`);
}

/**
 * The request n8n's credential test would send for `data`: the credential type's `test.request`
 * with its `={{$credentials.x}}` expressions resolved by a workflow's expression engine, then
 * authenticated by the type's own `authenticate` block.
 */
async function credentialTestRequest(typeName, data) {
	const type = credentialTypes.get(typeName);
	const node = { id: 'credential-test', name: 'Credential Test', type: HELLOTECH_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ id: 'credential-test', nodes: [node], connections: {}, nodeTypes, active: false });
	const resolve = (value) => {
		if (typeof value === 'string' && value.startsWith('=')) {
			return workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: data }, undefined, '');
		}
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
		}
		return value;
	};
	const request = resolve(type.test.request);
	return await new CredentialsHelper({ [typeName]: data }).authenticate(data, typeName, request, workflow, node);
}

const HELLOTECH_TOOL_TYPE = `${HELLOTECH_TYPE}Tool`;

/**
 * Connects HelloTech Tool nodes (`toolNodes`: nodes of an AI workflow, e.g. an example's, or
 * `{ name, parameters, typeVersion }`) to the stand-in agent (ToolAgentNode), runs it through the
 * engine with the test credential, and resolves with what it put out: `tools` (name, description,
 * schema of each) and `calls` (each call's answer or error).
 */
async function runTools(toolNodes, { calls = [], credentials } = {}) {
	const tools = toolNodes.map((node, index) => ({
		id: `tool-${index}`,
		type: HELLOTECH_TOOL_TYPE,
		typeVersion: 2,
		position: [200, 200],
		credentials: { helloTechApi: { id: '1', name: 'HelloTech account' } },
		...node,
	}));
	const nodes = [
		{ id: 'items', name: 'Items', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items: '[{}]' } },
		{ id: 'agent', name: 'Agent', type: 'test.agent', typeVersion: 1, position: [200, 0], parameters: { calls: JSON.stringify(calls) } },
		...tools,
	];
	const connections = {
		Items: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
		...Object.fromEntries(tools.map((tool) => [tool.name, { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] }])),
	};
	const run = await executeWorkflow({ nodes, connections }, { credentials: { helloTechApi: credentials } });
	const error = run.data.resultData.runData.Agent?.[0]?.error ?? run.data.resultData.error;
	if (error) throw error;
	const out = run.data.resultData.runData.Agent[0].data.main[0].map((item) => item.json);
	return { run, tools: out.filter((json) => json.kind === 'tool'), calls: out.filter((json) => json.kind === 'call') };
}

const TRIGGER_TYPE = `${PACKAGE}.helloTechTrigger`;

/** The trigger version tests run unless they name one: the version workflows saved before 2 use. */
const DEFAULT_TRIGGER_TEST_VERSION = 1;

function triggerNode(parameters, nodeName, typeVersion = DEFAULT_TRIGGER_TEST_VERSION) {
	return {
		id: 'hellotech-trigger',
		name: nodeName,
		type: TRIGGER_TYPE,
		typeVersion,
		position: [0, 0],
		parameters,
		credentials: { helloTechApi: { id: '1', name: 'HelloTech account' } },
	};
}

/**
 * Records what nodes write to n8n's logger, debug level included, until `stop()`: n8n-core hands
 * every node context the Logger of its container, so the recorder stands in for it there.
 * Resolves nothing; `entries` fills as nodes log ({ level, message, meta }).
 */
function captureLog() {
	const Logger = coreLoggerClass();
	const container = coreContainer();
	const original = container.get(Logger);
	const entries = [];
	const record = (level) => (message, meta) => entries.push({ level, message, meta });
	const recorder = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), scoped: () => recorder };
	container.set(Logger, recorder);
	return { entries, stop: () => container.set(Logger, original) };
}

/**
 * One poll of the HelloTech Trigger the way n8n polls an active workflow: n8n-core's
 * PollTriggerExecutor runs the node's poll() in a PollContext (mode 'trigger'); the node keeps
 * its state in the workflow's static data; what it returns goes to __emit (which would start an
 * execution), a failure to __emitError.
 *
 * `staticData`: the workflow static data the previous poll left (undefined: just activated).
 * `typeVersion`: the trigger's version (default 1, as workflows saved before version 2 have it).
 * `pollBudgetMs`: what the PollContext's getPollBudgetMs() answers (undefined: n8n-core's
 * default, 5 minutes; null: no getPollBudgetMs at all, as in an n8n before 2.x).
 * Resolves with { items, error, staticData }: the emitted items (null when none), the error,
 * and the static data as the workflow holds it afterwards, JSON round-tripped as n8n stores it.
 * After a failed poll it is whatever the node left in memory: n8n keeps the workflow object.
 */
async function pollTrigger(parameters, { credentials, staticData, activation = 'activate', nodeName = 'HelloTech Trigger', typeVersion, pollBudgetMs } = {}) {
	const { PollContext, PollTriggerExecutor } = require('n8n-core');
	const workflowStaticData = staticData === undefined ? {} : JSON.parse(JSON.stringify(staticData));
	const workflow = new Workflow({
		id: 'test-poll-workflow',
		name: 'poll test',
		nodes: [triggerNode(parameters, nodeName, typeVersion)],
		connections: {},
		nodeTypes,
		active: true,
		staticData: workflowStaticData,
		settings: { timezone: 'America/Los_Angeles' },
	});
	const node = workflow.getNode(nodeName);
	let items = null;
	let error;
	const context = new PollContext(
		workflow,
		node,
		additionalData({ helloTechApi: credentials }),
		'trigger',
		activation,
		(data) => (items = data),
		(emitted) => (error = emitted),
		undefined,
		undefined,
		undefined,
		typeof pollBudgetMs === 'number' ? () => pollBudgetMs : undefined,
	);
	if (pollBudgetMs === null) context.getPollBudgetMs = undefined;
	const execute = coreContainer().get(PollTriggerExecutor).create(workflow, node, context, () => true);
	await execute(false);
	return {
		items: items ? items[0] : null,
		error,
		staticData: JSON.parse(JSON.stringify(workflowStaticData)),
	};
}

/**
 * A manual test run of the HelloTech Trigger ("Fetch Test Event"): the workflow runs in manual
 * mode with the trigger as its start node; n8n-core calls poll() in a manual PollContext.
 * Resolves with { output, error, staticData } (staticData: the object given, after the run).
 */
async function testTrigger(parameters, { credentials, staticData = {}, nodeName = 'HelloTech Trigger', typeVersion } = {}) {
	const run = await executeWorkflow(
		{ nodes: [triggerNode(parameters, nodeName, typeVersion)], connections: {}, staticData },
		{ credentials: { helloTechApi: credentials } },
	);
	const taskData = run.data.resultData.runData[nodeName]?.[0];
	return {
		output: taskData?.data?.main?.[0] ?? [],
		error: taskData?.error ?? run.data.resultData.error,
		staticData: JSON.parse(JSON.stringify(staticData)),
	};
}

module.exports = {
	captureLog,
	runTools,
	HELLOTECH_TOOL_TYPE,
	pollTrigger,
	testTrigger,
	TRIGGER_TYPE,
	credentialTestRequest,
	executeWorkflow,
	loadOptions,
	runHelloTech,
	nodeTypes,
	credentialTypes,
	CredentialsHelper,
	HELLOTECH_TYPE,
	PACKAGE,
	packageContents: pkg,
	NodeHelpers,
};
