#!/usr/bin/env node
'use strict';
/**
 * npm run test:n8n — this package inside a real n8n (2.41.1 on Node 24), as a user installs it.
 *
 * Engine tests (jest, n8n-core) cannot see a package that does not load: a wrong dist path in
 * the "n8n" block, a file missing from the tarball, a credential name that does not match. This
 * does what a user does instead:
 *   1. installs the pinned n8n and Node 24 into a cache outside the repository, the first time
 *      (scripts/real-n8n/runtime.js; $HELLOTECH_N8N_CACHE moves the cache);
 *   2. builds, `npm pack`s, and installs the tarball as a community package in a fresh
 *      N8N_USER_FOLDER;
 *   3. starts `n8n start` and checks the editor lists every node of the package and the
 *      credential, with their icons, and the HelloTech Tool n8n makes for AI Agents; that the
 *      credential test tells a refused key; and that it imports every examples/*.json as it is;
 *   4. imports a credential pointing at the local HelloTech sandbox and each example workflow of
 *      examples/ (a Manual Trigger in place of a schedule or a chat, files in a temporary folder,
 *      a stand-in OpenAI model for the AI Agent), runs each with `n8n execute`, and checks its
 *      output and what the sandbox holds afterwards.
 * Any failed check, an n8n that prints nothing, or a node type n8n does not know fails the run.
 *
 * HELLOTECH_N8N_KEEP=1 keeps the temporary folder (n8n's database, logs, files) for a look.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { ensureRuntime } = require('./real-n8n/runtime');
const { N8n, TEST_OWNER, installCommunityPackage, loadProblems, ownerSession, tail } = require('./real-n8n/n8n');
const { ownerSession: restSession } = require('./real-n8n/rest');
const { startSandbox } = require('./real-n8n/sandbox');
const { EXAMPLES, examples, nodeNamed } = require('./real-n8n/examples');
const { startMockOpenAi } = require('./real-n8n/mock-openai');
const { startSmtpServer } = require('./real-n8n/smtp');
const { shopExamples } = require('./real-n8n/shopExamples');
const { checkWholeSkuList } = require('./real-n8n/variants');

const ROOT = path.resolve(__dirname, '..');
const CREDENTIAL_ID = 'HtSandboxCred001';
const CREDENTIAL_TYPE = 'helloTechApi';
const OPENAI_CREDENTIAL_ID = 'OpenAiStandIn001';
const SMTP_CREDENTIAL_ID = 'LocalSmtpCred001';

// ---- reporting ---------------------------------------------------------------------------------

const results = [];
let section = '';
const log = (text) => console.log(text);

function check(label, pass, detail) {
	results.push({ section, label, pass: Boolean(pass) });
	log(`  ${pass ? 'ok  ' : 'FAIL'} ${label}${!pass && detail ? `\n      ${String(detail).replace(/\n/g, '\n      ')}` : ''}`);
	return Boolean(pass);
}

function begin(title) {
	section = title;
	log(`\n== ${title}`);
}

class Fatal extends Error {}
const fatal = (message) => {
	throw new Fatal(message);
};

// ---- steps -------------------------------------------------------------------------------------

function buildAndPack(tmp) {
	begin('Build and pack');
	const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
	if (build.status !== 0) fatal(`npm run build failed:\n${build.stdout}${build.stderr}`);
	const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
	if (pack.status !== 0) fatal(`npm pack failed:\n${pack.stderr}`);
	const [info] = JSON.parse(pack.stdout);
	const tarball = path.join(tmp, info.filename);
	const files = new Set(info.files.map((file) => file.path));
	log(`  ${info.filename}: ${info.files.length} files, ${Math.round(info.size / 1024)} kB`);
	const { n8n = {} } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const listed = [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])];
	check('package.json\'s "n8n" block names at least one node and one credential', (n8n.nodes ?? []).length > 0 && (n8n.credentials ?? []).length > 0, JSON.stringify(n8n));
	for (const file of listed) check(`the tarball holds ${file} (named in the "n8n" block)`, files.has(file), `not in the tarball; it holds ${[...files].filter((name) => name.endsWith('.js') && name.includes('/')).slice(0, 5).join(', ')}, ...`);
	return { tarball, files };
}

/**
 * Order → Create's column mapper loads its fields as the editor asks for them, before any
 * credential is attached to the node, and without a request to HelloTech.
 */
async function checkColumnMapper(baseUrl, headers, sandbox, type) {
	const requestsBefore = (await sandbox.control.state()).log.length;
	const response = await fetch(`${baseUrl}/rest/dynamic-node-parameters/resource-mapper-fields`, {
		method: 'POST',
		headers,
		body: JSON.stringify({
			path: 'parameters.columns',
			nodeTypeAndVersion: { name: type, version: 2 },
			currentNodeParameters: { resource: 'order', operation: 'create' },
			methodName: 'getOrderColumns',
		}),
	});
	const body = await response.json().catch(() => ({}));
	const ids = (body.data?.fields ?? []).map((field) => field.id).sort();
	const expected = ['address', 'address_details', 'business_name', 'client_id', 'devices', 'email', 'first_name', 'last_name', 'notes', 'phone', 'purchase_order_id', 'sku_id', 'time_windows'];
	check(
		"the editor loads Order → Create's column mapper fields (the Create order body) with no credential on the node",
		response.status === 200 && JSON.stringify(ids) === JSON.stringify(expected),
		`HTTP ${response.status}: ${JSON.stringify(body).slice(0, 300)}`,
	);
	const requestsAfter = (await sandbox.control.state()).log.length;
	check('loading the column mapper sent nothing to HelloTech', requestsAfter === requestsBefore, `${requestsAfter - requestsBefore} requests`);
}

/** Each example saves as the editor saves an imported file: as it is, no id, a placeholder credential. */
async function checkExamplesImport(baseUrl, headers, known) {
	for (const file of fs.readdirSync(EXAMPLES).filter((name) => name.endsWith('.json')).sort()) {
		const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
		// As the editor sends an imported file: inactive (n8n 1.x stores nothing without it).
		const imported = JSON.stringify({ active: false, ...JSON.parse(text) });
		const response = await fetch(`${baseUrl}/rest/workflows`, { method: 'POST', headers, body: imported });
		const body = await response.json().catch(() => ({}));
		check(
			`the editor imports examples/${file} as it is`,
			response.ok && body.data?.nodes?.length === JSON.parse(text).nodes.length,
			`HTTP ${response.status}: ${JSON.stringify(body).slice(0, 300)}`,
		);
		const unknown = [...new Set(JSON.parse(text).nodes.map((node) => node.type))].filter((type) => !known.has(type));
		check(`n8n knows every node type in examples/${file}`, unknown.length === 0, `unknown: ${unknown.join(', ')}`);
	}
}

/** An entry of n8n's types list has a light and a dark file icon, and n8n serves both. */
async function checkIcons(baseUrl, what, entry, packageDir) {
	const urls = entry.iconUrl && typeof entry.iconUrl === 'object' ? Object.values(entry.iconUrl) : [entry.iconUrl];
	check(`${what} has a file icon, light and dark`, urls.length === 2 && urls.every(Boolean), JSON.stringify({ icon: entry.icon, iconUrl: entry.iconUrl }));
	for (const url of urls.filter(Boolean)) {
		const response = await fetch(`${baseUrl}/${url}`);
		const body = await response.text();
		const onDisk = fs.existsSync(path.join(packageDir, url.split('/').slice(2).join('/')));
		check(
			`n8n serves ${url}`,
			response.ok && /svg/.test(response.headers.get('content-type') ?? '') && body.includes('<svg'),
			`HTTP ${response.status} ${response.headers.get('content-type')}; the file is ${onDisk ? 'in' : 'missing from'} the installed package`,
		);
	}
}

/**
 * The editor's view (`n8n start`): every node of the package listed with its icons, the HelloTech
 * node asking for the helloTechApi credential and that credential listed for it; and every example
 * imports.
 */
async function checkEditorView(n8n, packageJson, packageDir, sandbox) {
	begin('n8n start: the package as the editor sees it');
	return n8n.withServer(async ({ baseUrl, typesDir, log: serverLog }) => {
		const nodes = JSON.parse(fs.readFileSync(path.join(typesDir, 'nodes.json'), 'utf8'));
		const credentials = JSON.parse(fs.readFileSync(path.join(typesDir, 'credentials.json'), 'utf8'));
		const problems = loadProblems(serverLog());
		check('n8n loaded the package without complaint', problems.length === 0, problems.join('\n'));

		const ours = nodes.filter((entry) => entry.name.startsWith(`${packageJson.name}.`) && !entry.name.endsWith('Tool')); // usableAsTool adds a "…Tool" twin
		const blockNodes = packageJson.n8n?.nodes ?? [];
		check(
			`n8n lists one node per entry of the "n8n" block (${blockNodes.length})`,
			ours.length === blockNodes.length,
			`n8n lists ${JSON.stringify(ours.map((entry) => entry.name))} for ${JSON.stringify(blockNodes)}${problems.length ? `; it said:\n${problems.join('\n')}` : ''}`,
		);
		const type = `${packageJson.name}.helloTech`;
		const node = ours.find((entry) => entry.name === type);
		if (check(`n8n lists ${type}`, node, problems.length ? problems.join('\n') : `its log ends:\n${tail(serverLog(), 15)}`)) {
			check(
				`${type} is "HelloTech" and asks for the ${CREDENTIAL_TYPE} credential`,
				node.displayName === 'HelloTech' && node.credentials?.some((entry) => entry.name === CREDENTIAL_TYPE),
				JSON.stringify({ displayName: node.displayName, credentials: node.credentials }),
			);
		}
		for (const entry of ours) await checkIcons(baseUrl, entry.name, entry, packageDir);
		const credential = credentials.find((entry) => entry.name === CREDENTIAL_TYPE);
		if (check(`n8n lists the ${CREDENTIAL_TYPE} credential, for ${type}`, credential?.supportedNodes?.includes(type), credential ? `supportedNodes: ${JSON.stringify(credential.supportedNodes)}` : 'not listed')) {
			await checkIcons(baseUrl, `the ${CREDENTIAL_TYPE} credential`, credential, packageDir);
		}
		const session = await ownerSession(baseUrl);
		checkToolTwin(nodes, packageJson);
		await checkCredentialTest(baseUrl, session, sandbox);
		await checkPickers(baseUrl, session, packageJson, sandbox);
		await checkColumnMapper(baseUrl, session, sandbox, type);
		await checkExamplesImport(baseUrl, session, new Set(nodes.map((entry) => entry.name)));
		checkNodesPanel(nodes, packageJson);
		// The node versions this n8n has, for the examples (the oldest supported n8n lacks some of n8n's own newer ones).
		const versions = new Map();
		for (const entry of nodes) for (const version of [entry.version].flat()) versions.set(`${entry.name}@${version}`, entry);
		return versions;
	});
}

/**
 * n8n's nodes panel shows the node and its trigger as one entry, with the trigger's description
 * (its name minus "Trigger" is the node's): that description must describe the node.
 */
function checkNodesPanel(nodes, packageJson) {
	const node = nodes.find((entry) => entry.name === `${packageJson.name}.helloTech`);
	const trigger = nodes.find((entry) => entry.name === `${packageJson.name}.helloTechTrigger`);
	check(
		"the nodes panel's HelloTech entry (node and trigger merged) describes the node, then the trigger",
		node && trigger && trigger.name.replace('Trigger', '') === node.name && trigger.description.startsWith(node.description),
		JSON.stringify({ node: node?.description, trigger: trigger?.description }),
	);
}

/**
 * The HelloTech Tool n8n makes of the node for AI Agents (usableAsTool): listed, with version 2's
 * fields as the tool shows them (Output instead of Simplify; Check ZIP's field labelled "SKU ID",
 * the label the ✨ key is made from).
 */
function checkToolTwin(nodes, packageJson) {
	const name = `${packageJson.name}.helloTechTool`;
	const tool = nodes.find((entry) => entry.name === name);
	if (!check(`n8n lists ${name} ("HelloTech Tool") for AI Agents`, tool?.displayName === 'HelloTech Tool' && tool.outputs?.includes('ai_tool'), tool ? JSON.stringify({ displayName: tool.displayName, outputs: tool.outputs }) : 'not listed')) return;
	const output = tool.properties.find((property) => property.name === 'output' && property.displayOptions?.show?.['@tool']?.[0] === true);
	check(
		'the tool offers Output: Simplified, Raw, Selected Fields',
		JSON.stringify(output?.options?.map((option) => option.value)) === JSON.stringify(['simple', 'raw', 'fields']) && output.default === 'simple',
		JSON.stringify(output ?? null),
	);
	const skuLabels = tool.properties.filter((property) => property.name === 'sku').map((property) => property.displayName);
	check('Check ZIP\'s field is "SKU ID" from version 2 on ("SKU" in version 1)', JSON.stringify(skuLabels) === JSON.stringify(['SKU', 'SKU ID']), JSON.stringify(skuLabels));
}

/**
 * The record pickers as the editor loads them (n8n's REST API for node parameters): version 1's
 * SKU list on a node just added, before n8n attaches its credential, is empty, not "Error
 * fetching options"; with the credential, the SKU and Order ID pickers list the sandbox's.
 */
async function checkPickers(baseUrl, headers, packageJson, sandbox) {
	const call = async (route, body) => {
		const response = await fetch(`${baseUrl}/rest/dynamic-node-parameters/${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
		return { ok: response.ok, status: response.status, body: await response.json().catch(() => ({})) };
	};
	const node = (version, parameters) => ({ nodeTypeAndVersion: { name: `${packageJson.name}.helloTech`, version }, currentNodeParameters: parameters });
	const credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HelloTech sandbox' } };
	const create = { resource: 'order', operation: 'create' };
	const bare = await call('options', { ...node(1, create), path: 'parameters.skuIds', methodName: 'getSkus' });
	check('a node just added (no credential yet): the SKU list is empty, not an error', bare.ok && JSON.stringify(bare.body.data) === '[]', `HTTP ${bare.status}: ${JSON.stringify(bare.body).slice(0, 300)}`);
	const skus = await call('resource-locator-results', { ...node(2, { resource: 'sku', operation: 'checkZip' }), path: 'parameters.sku', methodName: 'searchSkus', credentials, filter: 'smart' });
	check(
		'the SKU picker searches the catalogue',
		skus.ok && JSON.stringify(skus.body.data?.results?.map((result) => result.value)) === JSON.stringify(['10640', '10642', '10644']),
		`HTTP ${skus.status}: ${JSON.stringify(skus.body).slice(0, 300)}`,
	);
	await sandbox.control.reset();
	const { ids } = await sandbox.control.seedOrders({ count: 3 });
	const orders = await call('resource-locator-results', { ...node(2, { resource: 'order', operation: 'get' }), path: 'parameters.orderId', methodName: 'searchOrders', credentials });
	check(
		'the Order ID picker lists the most recent orders as "ID · customer · status"',
		orders.ok && JSON.stringify(orders.body.data?.results?.map((result) => result.name)) === JSON.stringify([...ids].reverse().map((id) => `${id} · Sandbox Client · Pending`)),
		`HTTP ${orders.status}: ${JSON.stringify(orders.body).slice(0, 300)}`,
	);
}

/** The credential dialog's Test, through n8n's REST API: the right key passes, a wrong one is "refused". */
async function checkCredentialTest(baseUrl, headers, sandbox) {
	const test = async (data) => {
		const response = await fetch(`${baseUrl}/rest/credentials/test`, {
			method: 'POST',
			headers,
			body: JSON.stringify({ credentials: { id: CREDENTIAL_ID, name: 'HelloTech sandbox', type: CREDENTIAL_TYPE, data } }),
		});
		const body = await response.json().catch(() => ({}));
		return body.data ?? body;
	};
	const right = await test({ apiKey: sandbox.apiKey, baseUrl: sandbox.url });
	check('the credential test passes with the right key', right.status === 'OK', JSON.stringify(right));
	const wrong = await test({ apiKey: 'not-the-key', baseUrl: sandbox.url });
	check(
		'the credential test says a wrong key was refused (not just "Unauthorized")',
		wrong.status === 'Error' && /^HelloTech refused the API key \(HTTP 401\)/.test(wrong.message ?? ''),
		JSON.stringify(wrong),
	);
}

/** The example as a user's import would be, made runnable headless. */
/** An example's workflow as imported: its file in examples/, or one a check builds (`build()`). */
const loadWorkflow = (example) => (example.build ? example.build() : JSON.parse(fs.readFileSync(path.join(EXAMPLES, example.file), 'utf8')));

function prepareWorkflow(example, context) {
	const workflow = loadWorkflow(example);
	workflow.id = example.id;
	workflow.active = false;
	if (example.trigger) {
		const trigger = nodeNamed(workflow, example.trigger);
		Object.assign(trigger, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
	}
	for (const [names, type] of [
		[example.helloTechNodes, `${context.packageName}.helloTech`],
		[example.toolNodes ?? [], `${context.packageName}.helloTechTool`],
	]) {
		for (const name of names) {
			const node = nodeNamed(workflow, name);
			if (node.type !== type) throw new Error(`${example.file}: "${name}" is ${node.type}, not ${type}`);
			node.credentials = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HelloTech sandbox' } };
		}
	}
	example.prepare(workflow, context);
	const file = path.join(context.tmp, `workflow-${example.id}.json`);
	fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
	return { workflow, file };
}

/**
 * What `node` of an example needs that this n8n lacks (from the editor's type list): its type at
 * its version, or a parameter or option it sets (n8n's own nodes gain options within a version).
 */
function missingIn(nodeVersions, node) {
	const name = `${node.type.split('.').pop()} ${node.typeVersion}`;
	const entry = nodeVersions?.get(`${node.type}@${node.typeVersion}`);
	if (!entry) return [name];
	const known = new Set();
	const collect = (properties) => {
		for (const property of properties ?? []) {
			known.add(property.name);
			if (Array.isArray(property.options)) collect(property.options.filter((option) => typeof option === 'object' && 'type' in option));
		}
	};
	collect(entry.properties);
	const set = [...Object.keys(node.parameters ?? {}), ...Object.keys(node.parameters?.options ?? {})];
	return set.filter((key) => !known.has(key)).map((key) => `${name}'s "${key}"`);
}

async function runExample(example, n8n, sandbox, context) {
	const original = loadWorkflow(example);
	begin(`Example ${example.file ?? 'built'}${example.label ? ` (${example.label})` : ''}: "${original.name}"`);
	// n8n's own nodes (n8n-nodes-base, and its AI nodes @n8n/n8n-nodes-langchain) and this package's.
	const others = original.nodes.filter(
		(node) => !/^(n8n-nodes-base|@n8n\/n8n-nodes-langchain)\./.test(node.type) && !node.type.startsWith(`${context.packageName}.`),
	);
	check("it uses only this package's nodes and n8n's own", others.length === 0, others.map((node) => `${node.name}: ${node.type}`).join(', '));
	const newer = original.nodes.flatMap((node) => missingIn(context.nodeVersions, node));
	if (newer.length && context.pin !== 'current') {
		// The oldest supported n8n runs every example whose nodes and options it has; n8n's own nodes move on.
		log(`  skipped: this n8n has no ${newer.join(', ')}`);
		return;
	}
	check('n8n has every node at the version the example uses, with every option it sets', newer.length === 0, newer.join(', '));
	const { workflow, file } = prepareWorkflow(example, context);
	const imported = await n8n.import('workflow', file);
	if (!check('n8n import:workflow took it', imported.ok, tail(imported.output, 15))) return;
	await example.seed(sandbox.control);
	// `n8n execute` ignores pinned data: a workflow with some runs as the editor's Execute button runs it.
	const pinned = Object.keys(workflow.pinData ?? {}).length > 0;
	const run = pinned ? await context.editorRun(example.id) : await n8n.execute(example.id);
	fs.writeFileSync(path.join(context.tmp, `execute-${example.id}.log`), run.output);
	log(`  ${pinned ? 'the editor\'s Execute workflow (pinned data)' : 'n8n execute'} --id=${example.id}: exit ${run.code} in ${run.seconds.toFixed(1)} s`);
	check('n8n knew every node type and loaded the package', run.problems.length === 0, run.problems.join('\n'));
	const execution = run.execution;
	if (!check('n8n execute printed an execution', run.code === 0 && execution?.data?.resultData, `exit ${run.code}; n8n printed:\n${tail(run.output)}`)) return;
	const { runData, error } = execution.data.resultData;
	// n8n 1.x prints a finished execution with `finished: true` and its status still "running".
	const succeeded = execution.status === 'success' || (execution.status === 'running' && execution.finished === true);
	check(`the execution succeeded (status ${execution.status}${execution.finished ? ', finished' : ''})`, succeeded && !error, error ? `${error.message}${error.description ? `: ${error.description}` : ''}` : '');
	const idle = new Set(example.notRun ?? []); // the branch an IF node must not take this time
	const enabled = workflow.nodes.filter((node) => !node.disabled && node.type !== 'n8n-nodes-base.stickyNote' && !idle.has(node.name));
	const missing = enabled.filter((node) => !runData[node.name]);
	check(`all ${enabled.length} enabled nodes of the path taken ran`, missing.length === 0, `did not run: ${missing.map((node) => node.name).join(', ')}`);
	if (idle.size) {
		const ran = [...idle].filter((name) => runData[name]);
		check(`the other branch (${[...idle].join(', ')}) did not run`, ran.length === 0, `ran: ${ran.join(', ')}`);
	}
	const failed = Object.entries(runData).filter(([, runs]) => runs.some((entry) => entry.error));
	check('no node failed', failed.length === 0, failed.map(([name, runs]) => `${name}: ${runs.find((entry) => entry.error).error.message}`).join('\n'));
	const state = await sandbox.control.state();
	check(
		'n8n called the sandbox with the imported credential\'s API key',
		state.log.length > 0 && state.log.every((entry) => entry.apiKeyOk),
		`${state.log.length} requests, ${state.log.filter((entry) => !entry.apiKeyOk).length} without the right key`,
	);
	await example.verify({ execution, sandbox: sandbox.control, check, workflow });
}

/**
 * Runs saved workflows as the editor's Execute workflow button does (n8n's REST API, on one
 * `n8n start` begun at the first run), which uses their pinned data, unlike `n8n execute`.
 * run(id) resolves what n8n.execute() does: { code, execution, problems, output, seconds }.
 */
function editorRunner(n8n, runtime) {
	let server;
	let session;
	let seen = 0;
	async function run(workflowId) {
		const started = Date.now();
		if (!server) {
			server = await n8n.start();
			session = await restSession(server.baseUrl, TEST_OWNER);
		}
		const workflow = await session.request('GET', `/workflows/${workflowId}`);
		const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
		// n8n 1.x runs the workflowData the editor sends; 2.x the saved workflow.
		const { executionId } = await session.request('POST', `/workflows/${workflowId}/run`, { workflowData: workflow, triggerToStartFrom: { name: trigger.name } });
		// Executions are stored "flatted" (n8n's format for data with cycles): n8n's own copy reads it.
		const flatted = require(path.join(runtime.n8nDir, 'node_modules', 'flatted'));
		let execution;
		for (const deadline = Date.now() + 180_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
			const found = await session.request('GET', `/executions/${executionId}`).catch(() => undefined);
			const data = typeof found?.data === 'string' ? flatted.parse(found.data) : found?.data;
			// n8n 1.x marks an execution finished a moment before it has stored its data.
			if (found?.stoppedAt && !['running', 'new'].includes(found.status) && data?.resultData) {
				execution = { ...found, data };
				break;
			}
		}
		const output = server.log().slice(seen);
		seen = server.log().length;
		return { code: execution ? 0 : 1, execution, problems: loadProblems(output), output, seconds: (Date.now() - started) / 1000 };
	}
	return { run, stop: async () => server?.stop() };
}

// ---- main --------------------------------------------------------------------------------------

/** The value of `--name value` or `--name=value`, or undefined. */
function argument(name, argv = process.argv.slice(2)) {
	const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
	if (index < 0) return undefined;
	return argv[index].includes('=') ? argv[index].slice(argv[index].indexOf('=') + 1) : argv[index + 1];
}

/** `--n8n <pin>` (or $HELLOTECH_N8N_PIN): which pinned n8n to run in, "current" unless said. */
const pinArgument = () => argument('n8n');

/** `--examples <words>`: only the examples whose file name (or label, for a built one) holds one of the comma-separated words. */
function chosenExample(example) {
	const words = argument('examples')?.split(',').filter(Boolean);
	return !words || words.some((word) => (example.file ?? example.label).includes(word));
}

async function main() {
	const started = Date.now();
	log('test:n8n: this package in a real n8n');
	begin('n8n and its Node (cached outside the repository)');
	const runtime = ensureRuntime((line) => log(line), pinArgument());
	log(`  n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion}: ${runtime.n8nDir}`);

	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-hellotech-'));
	const userFolder = path.join(tmp, 'home');
	const filesDir = path.join(tmp, 'files');
	fs.mkdirSync(userFolder);
	fs.mkdirSync(filesDir);
	let sandbox;
	let openAi;
	let smtp;
	let ok = false;
	try {
		const { tarball } = buildAndPack(tmp);

		begin('Install as a community package; import a credential');
		const { packageDir, packageJson } = installCommunityPackage(tarball, userFolder);
		log(`  ${packageJson.name}@${packageJson.version} in ${packageDir}`);
		const n8n = new N8n(runtime, userFolder, {
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
		});

		sandbox = await startSandbox();
		log(`  sandbox: ${sandbox.url}`);
		// The stand-in model the AI Agent example talks to (through n8n's own OpenAI Chat Model node).
		openAi = await startMockOpenAi(() => {
			throw new Error('no example set the stand-in model\'s replies');
		});
		openAi.credentialId = OPENAI_CREDENTIAL_ID;
		log(`  stand-in OpenAI: ${openAi.url}`);
		// The mail server the order report example sends to.
		smtp = await startSmtpServer();
		smtp.credentialId = SMTP_CREDENTIAL_ID;
		log(`  SMTP server: ${smtp.host}:${smtp.port}`);
		const credentialsFile = path.join(tmp, 'credentials.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify([
				{ id: CREDENTIAL_ID, name: 'HelloTech sandbox', type: CREDENTIAL_TYPE, data: { apiKey: sandbox.apiKey, baseUrl: sandbox.url } },
				{ id: OPENAI_CREDENTIAL_ID, name: 'OpenAI stand-in', type: 'openAiApi', data: { apiKey: 'sk-stand-in', url: openAi.url } },
				{ id: SMTP_CREDENTIAL_ID, name: 'Local SMTP', type: 'smtp', data: smtp.credentialData },
			]),
		);
		const imported = await n8n.import('credentials', credentialsFile);
		check('n8n loaded the package without complaint (import:credentials)', imported.problems.length === 0, imported.problems.join('\n'));
		if (!check('n8n imported a HelloTech credential pointing at the sandbox', imported.ok, tail(imported.output, 15))) fatal('no credential, no workflow can run');

		const nodeVersions = await checkEditorView(n8n, packageJson, packageDir, sandbox);

		const editorRuns = editorRunner(n8n, runtime);
		const helloTechCredential = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: 'HelloTech sandbox' } };
		const context = { tmp, filesDir, packageName: packageJson.name, openAi, smtp, helloTechCredential, editorRun: editorRuns.run, nodeVersions, pin: runtime.pin };
		try {
			for (const example of [...examples, ...shopExamples].filter(chosenExample)) await runExample(example, n8n, sandbox, context);
		} finally {
			await editorRuns.stop();
		}
		await checkWholeSkuList({ n8n, sandbox, tmp, packageName: packageJson.name, credentials: helloTechCredential, begin, check });

		const report = examples.find((example) => example.reportText);
		if (report) log(`\n  The report a person would read:\n    ${report.reportText.replace(/\n/g, '\n    ')}`);
		ok = true;
	} catch (error) {
		results.push({ section, label: error.message, pass: false });
		log(`\n  FAIL ${error instanceof Fatal ? '' : 'stopped: '}${error.message}`);
	} finally {
		if (sandbox) sandbox.child.kill('SIGTERM');
		if (openAi) await openAi.close();
		if (smtp) await smtp.close();
		const failed = results.filter((result) => !result.pass);
		const keep = process.env.HELLOTECH_N8N_KEEP === '1' || failed.length > 0;
		if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
		log(`\n== Summary (n8n ${runtime.n8nVersion}, Node ${runtime.nodeVersion}, ${Math.round((Date.now() - started) / 1000)} s)`);
		const sections = [...new Set(results.map((result) => result.section))];
		for (const name of sections) {
			const mine = results.filter((result) => result.section === name);
			const bad = mine.filter((result) => !result.pass);
			log(`  ${bad.length ? 'FAIL' : 'ok  '} ${name}: ${mine.length - bad.length}/${mine.length} checks passed`);
			for (const result of bad) log(`         - ${result.label.split('\n')[0]}`);
		}
		if (keep) log(`  n8n's folder, the workflows and files are kept in ${tmp}`);
		if (failed.length || !ok || results.length === 0) {
			log(`\ntest:n8n FAILED: ${failed.length} of ${results.length} checks failed`);
			process.exitCode = 1;
		} else {
			log(`\ntest:n8n passed: ${results.length} checks`);
		}
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
