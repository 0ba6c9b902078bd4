'use strict';
/**
 * Drives a real n8n from the outside, as a user's machine would: installs a package tarball as
 * a community package, imports credentials and workflows, runs a workflow with `n8n execute`, and
 * starts the server to see the node as the editor sees it. Every command gets its own free ports
 * (the task broker's default 5679 is fixed otherwise), so runs do not collide.
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const { cleanNpmEnv } = require('./runtime');

/** What n8n prints when a package or a node type does not load. Any of these fails the run. */
const LOAD_PROBLEMS = [
	/Failed to load package/i,
	/Unrecognized node type/i,
	/Unrecognized credential type/i,
	/Cannot find module/i,
	/Skipping package/i,
];

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const loadProblems = (text) =>
	text
		.split('\n')
		.filter((line) => LOAD_PROBLEMS.some((pattern) => pattern.test(line)))
		.map((line) => line.trim())
		.filter((line, index, all) => all.indexOf(line) === index);

/**
 * Installs `tarball` into `<userFolder>/.n8n/nodes` the way n8n 2.x installs a community package
 * (CommunityPackagesService.downloadPackage): unpacked into node_modules/<name>, its dev, peer and
 * optional dependencies dropped, `npm install` for its own dependencies, and the name recorded in
 * nodes/package.json. n8n-workflow is then resolved from n8n itself (n8n adds its own
 * node_modules to NODE_PATH), as in a real install.
 */
function installCommunityPackage(tarball, userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const staging = path.join(nodesDir, '.unpack');
	fs.mkdirSync(staging, { recursive: true });
	const untar = spawnSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1'], { encoding: 'utf8' });
	if (untar.status !== 0) throw new Error(`tar could not unpack ${tarball}: ${untar.stderr}`);
	const packageJsonPath = path.join(staging, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
	fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));
	const packageDir = path.join(nodesDir, 'node_modules', packageJson.name);
	fs.mkdirSync(path.dirname(packageDir), { recursive: true });
	fs.renameSync(staging, packageDir);
	const install = spawnSync(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: packageDir, env: cleanNpmEnv(), encoding: 'utf8' },
	);
	if (install.status !== 0) throw new Error(`npm install in ${packageDir} failed:\n${install.stdout}${install.stderr}`);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [packageJson.name]: packageJson.version } }, null, 2),
	);
	return { packageDir, packageJson };
}

/**
 * Builds the package in `root`, packs it into `tmp` and installs the tarball as a community
 * package in `userFolder` (see installCommunityPackage): { packageDir, packageJson }.
 */
function buildPackInstall(root, tmp, userFolder) {
	const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, encoding: 'utf8' });
	if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
	const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8' });
	if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
	const [info] = JSON.parse(pack.stdout);
	return installCommunityPackage(path.join(tmp, info.filename), userFolder);
}

class N8n {
	/**
	 * @param runtime from ensureRuntime()
	 * @param userFolder N8N_USER_FOLDER (n8n keeps .n8n/ and .cache/ in it)
	 * @param env more environment (file access, time zone)
	 */
	constructor(runtime, userFolder, env = {}) {
		this.runtime = runtime;
		this.userFolder = userFolder;
		this.env = {
			...cleanNpmEnv(),
			PATH: `${runtime.node.bin}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: userFolder,
			N8N_ENCRYPTION_KEY: 'hellotech-test-n8n-encryption-key',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LOG_LEVEL: 'info',
			...runtime.env, // what the pinned n8n needs to run here (see runtime.js)
			...env,
		};
	}

	/** Runs `n8n <args>`; resolves { code, signal, stdout, stderr, output, seconds }. */
	async run(args, { timeoutMs = 180_000, env = {} } = {}) {
		const started = Date.now();
		const child = spawn(this.runtime.node.node, [this.runtime.n8n, ...args], {
			env: { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		const [code, signal] = await new Promise((resolve) => child.on('close', (...end) => resolve(end)));
		clearTimeout(timer);
		return { code, signal, stdout, stderr, output: `${stdout}\n${stderr}`, seconds: (Date.now() - started) / 1000 };
	}

	/** `n8n import:credentials` / `import:workflow`: { ok, problems, output }. */
	async import(kind, file) {
		const result = await this.run([`import:${kind}`, `--input=${file}`]);
		const problems = loadProblems(result.output);
		const ok = result.code === 0 && /Successfully imported/i.test(result.output);
		return { ...result, ok, problems };
	}

	/**
	 * `n8n execute --id=… --rawOutput`, and the execution it prints. n8n can exit 0 having run
	 * nothing (an unknown option, a missing trigger), so no JSON in stdout is a failure here, and
	 * so is any complaint about a package or node type that did not load.
	 */
	async execute(workflowId) {
		const result = await this.run(['execute', `--id=${workflowId}`, '--rawOutput']);
		const problems = loadProblems(result.output);
		const execution = parseExecution(result.stdout);
		return { ...result, problems, execution };
	}

	/** Where `n8n start` writes the editor's node and credential lists. */
	get typesDir() {
		return path.join(this.userFolder, '.cache', 'n8n', 'public', 'types');
	}

	/**
	 * Starts `n8n start` and resolves when it is ready (its health check answers and the editor's
	 * type lists are written): { baseUrl, port, pid, log(), exited(), stop() }. `port` defaults to a
	 * free one. `detached` puts n8n in a process group of its own, which stop() ends whole (n8n's
	 * task runners with it); `onLine` sees each line n8n prints; `onSpawn` gets { pid, stop } at
	 * once, to stop an n8n that is still starting.
	 */
	async start({ timeoutMs = 180_000, port, env = {}, detached = false, onLine, onSpawn } = {}) {
		port = port ?? (await freePort());
		const child = spawn(this.runtime.node.node, [this.runtime.n8n, 'start'], {
			env: {
				...this.env,
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...env,
			},
			stdio: ['ignore', 'pipe', 'pipe'],
			detached,
		});
		let log = '';
		let partial = '';
		const collect = (chunk) => {
			log += chunk;
			if (!onLine) return;
			const lines = (partial + chunk).split('\n');
			partial = lines.pop();
			for (const line of lines) onLine(line);
		};
		child.stdout.on('data', collect);
		child.stderr.on('data', collect);
		let exited = null;
		const done = new Promise((resolve) => child.on('close', (code, signal) => resolve((exited = { code, signal }))));
		const signal = (name) => {
			try {
				if (detached) process.kill(-child.pid, name);
				else child.kill(name);
			} catch {
				// already gone
			}
		};
		const stop = async () => {
			if (!exited) {
				signal('SIGTERM');
				const killer = setTimeout(() => signal('SIGKILL'), 20_000);
				await done;
				clearTimeout(killer);
			}
			if (detached) signal('SIGKILL'); // anything n8n started and left behind in its group
		};
		onSpawn?.({ pid: child.pid, stop });
		const baseUrl = `http://127.0.0.1:${port}`;
		const typesDir = this.typesDir;
		try {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				if (exited) throw new Error(`n8n start exited (code ${exited.code}) before it was ready:\n${tail(log)}`);
				if (Date.now() > deadline) throw new Error(`n8n start was not ready after ${timeoutMs / 1000} s:\n${tail(log)}`);
				// Ready, and serving its REST API (n8n 1.x says it is ready before it has mounted it).
				const answers = async (route) => fetch(`${baseUrl}${route}`).then(
					(response) => response.ok,
					() => false,
				);
				if ((await answers('/healthz/readiness')) && (await answers('/rest/settings')) && typesWritten(typesDir)) break;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
		} catch (error) {
			await stop();
			throw error;
		}
		return { baseUrl, port, pid: child.pid, log: () => log, exited: () => exited, done, stop };
	}

	/**
	 * Starts `n8n start` until it is ready, calls `inspect({ baseUrl, typesDir, log, pid })`, stops it.
	 * The editor's node list is the static types file n8n writes at start; icons are served
	 * without login under /icons/.
	 */
	async withServer(inspect, { timeoutMs = 180_000 } = {}) {
		const server = await this.start({ timeoutMs });
		try {
			return await inspect({ baseUrl: server.baseUrl, typesDir: this.typesDir, log: server.log, pid: server.pid });
		} finally {
			await server.stop();
		}
	}
}

/** Whether n8n has finished writing the editor's type lists (n8n 1.x is still writing them when it says it is ready). */
function typesWritten(typesDir) {
	try {
		for (const file of ['nodes.json', 'credentials.json']) JSON.parse(fs.readFileSync(path.join(typesDir, file), 'utf8'));
		return true;
	} catch {
		return false;
	}
}

/** The owner the real-n8n tests sign up in their fresh n8n. */
const TEST_OWNER = { email: 'owner@example.com', firstName: 'Test', lastName: 'Owner', password: 'Test-n8n-0wner' };

/**
 * Signs up n8n's owner (a fresh n8n has none) through `n8n start`'s REST API: the headers (with the
 * session cookie) the editor's later requests carry.
 */
async function ownerSession(baseUrl) {
	const headers = { 'content-type': 'application/json', 'browser-id': 'hellotech-test-n8n' };
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers,
		body: JSON.stringify(TEST_OWNER),
	});
	if (!response.ok) throw new Error(`n8n refused to set up its owner: HTTP ${response.status} ${await response.text()}`);
	const cookie = response.headers
		.getSetCookie()
		.map((entry) => entry.split(';')[0])
		.join('; ');
	return { ...headers, cookie };
}

/** The execution JSON `n8n execute --rawOutput` prints after its log lines, or undefined. */
function parseExecution(stdout) {
	const start = stdout.search(/^\{\s*$/m);
	if (start < 0) return undefined;
	const text = stdout.slice(start);
	const end = text.lastIndexOf('\n}');
	try {
		return JSON.parse(end >= 0 ? text.slice(0, end + 2) : text);
	} catch {
		return undefined;
	}
}

const tail = (text, lines = 40) =>
	text
		.split('\n')
		.filter((line) => line.trim() !== '' && !/^(Starting|Finished) migration|^\[\w+\d+\] |^\s+at |^- \/|^Require stack:/.test(line))
		.slice(-lines)
		.map((line) => `    | ${line}`)
		.join('\n');

module.exports = { TEST_OWNER, N8n, buildPackInstall, installCommunityPackage, loadProblems, ownerSession, parseExecution, tail, freePort };
