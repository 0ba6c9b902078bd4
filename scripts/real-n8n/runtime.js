'use strict';
/**
 * The real n8n that `npm run test:n8n` runs the package in, one of two pins (each a package.json
 * and its lockfile under pins/), with the Node it runs on (the npm package node-linux-<arch>,
 * pinned too):
 *   current  n8n 2.41.1 on Node 24 (n8n 2.41 needs Node 24): what users get, the default;
 *   oldest   the oldest n8n the package supports (see the README's Compatibility), on Node 20.
 * $HELLOTECH_N8N_PIN picks one. Both live in a cache folder outside the repository and are
 * installed the first time (about five minutes and 3 GB each).
 *
 * Cache: $HELLOTECH_N8N_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-hellotech. Each part is
 * installed into a temporary folder and renamed into place only when it works, so a half-finished
 * install (killed, out of disk) is never taken for a finished one; a lock folder keeps two runs
 * from installing at the same time.
 */
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const HERE = __dirname;
/**
 * The pins. `env` is what that n8n needs to run here: n8n 1.x's default expression evaluator
 * does not run on this Node, its legacy one does.
 */
const PINS = {
	current: { node: '24.21.0', env: {} },
	oldest: { node: '20.20.2', env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
};
const DEFAULT_PIN = 'current';

/** A pin's files and versions: { name, packageFile, lockFile, n8nVersion, nodeVersion, env }. */
function pinOf(name = process.env.HELLOTECH_N8N_PIN || DEFAULT_PIN) {
	if (!PINS[name]) throw new Error(`No n8n pin "${name}": pick one of ${Object.keys(PINS).join(', ')}`);
	const dir = path.join(HERE, 'pins', name);
	const packageFile = path.join(dir, 'package.json');
	const n8nVersion = JSON.parse(fs.readFileSync(packageFile, 'utf8')).dependencies.n8n;
	return { name, packageFile, lockFile: path.join(dir, 'package-lock.json'), n8nVersion, nodeVersion: PINS[name].node, env: PINS[name].env };
}
const LOCK_WAIT_MS = 30 * 60_000;
const INSTALL_TIMEOUT_MS = 30 * 60_000;

function cacheRoot() {
	if (process.env.HELLOTECH_N8N_CACHE) return path.resolve(process.env.HELLOTECH_N8N_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-hellotech');
}

/**
 * The environment for npm in the cache: without what `npm run` passes down from this repository
 * (its .npmrc's ignore-scripts, its local prefix) and without the machine's nodedir (/usr: Node 20
 * headers), which would build native modules for the wrong Node.
 */
function cleanNpmEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_(package|lifecycle)_/i.test(key)) continue;
		if (/^npm_config_(local_prefix|ignore_scripts|call|nodedir|argv|init_module)$/i.test(key)) continue;
		if (/^(npm_command|npm_execpath|npm_node_execpath|INIT_CWD)$/i.test(key)) continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

function run(command, args, options, log) {
	log(`  $ ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		timeout: INSTALL_TIMEOUT_MS,
		...options,
	});
	if (result.status !== 0) {
		const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
		throw new Error(
			`${command} ${args.join(' ')} failed (exit ${result.status}${result.signal ? `, ${result.signal}` : ''}${result.error ? `, ${result.error.message}` : ''}):\n${tail}`,
		);
	}
	return result.stdout;
}

const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
};

/** Removes temporary install folders whose process is gone (a killed run leaves 3 GB behind). */
function removeStaleTemps(root, log) {
	for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
		const match = /^\.tmp-.*-(\d+)-[0-9a-f]+$/.exec(name);
		if (match && !alive(Number(match[1]))) {
			log(`  removing an unfinished install left by process ${match[1]}: ${name}`);
			fs.rmSync(path.join(root, name), { recursive: true, force: true });
		}
	}
}

/** Runs `fn` holding the cache's install lock (a folder: mkdir is atomic). */
function withInstallLock(root, log, fn) {
	const lock = path.join(root, '.install.lock');
	const started = Date.now();
	let said = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			let holder = NaN;
			try {
				holder = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				// the holder has just made the folder and not yet written its pid
			}
			if (Number.isInteger(holder) && !alive(holder)) {
				log(`  removing a stale install lock of process ${holder}`);
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`Waited too long for ${lock} (held by process ${holder})`);
			if (!said) log(`  another run (process ${holder}) is installing into the cache; waiting for it`);
			said = true;
			spawnSync('sleep', ['5']);
		}
	}
	try {
		return fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * Makes `final` by `build(tmp)` in a temporary sibling, then renames it into place. Returns
 * `final`. Does nothing when `final` exists: only a finished, checked install is ever renamed there.
 */
function installOnce(root, final, label, log, build) {
	if (fs.existsSync(final)) return final;
	fs.mkdirSync(root, { recursive: true });
	return withInstallLock(root, log, () => {
		if (fs.existsSync(final)) return final; // another run finished it while we waited
		removeStaleTemps(root, log);
		const tmp = path.join(root, `.tmp-${path.basename(final)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
		fs.mkdirSync(tmp);
		const started = Date.now();
		log(`Installing ${label} into ${final} (first run only)`);
		try {
			build(tmp);
			fs.renameSync(tmp, final);
		} catch (error) {
			fs.rmSync(tmp, { recursive: true, force: true });
			throw error;
		}
		log(`  ${label} installed in ${Math.round((Date.now() - started) / 1000)} s`);
		return final;
	});
}

const nodePackageName = () => `node-linux-${process.arch}`;

function ensureNode(root, nodeVersion, log) {
	if (process.platform !== 'linux') throw new Error(`test:n8n installs Node from npm's node-linux-* packages: Linux only (this is ${process.platform})`);
	const dir = installOnce(root, path.join(root, `node-${nodeVersion}-linux-${process.arch}`), `Node ${nodeVersion}`, log, (tmp) => {
		fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ private: true, dependencies: { [nodePackageName()]: nodeVersion } }));
		run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--package-lock=false'], { cwd: tmp, env: cleanNpmEnv() }, log);
		const version = run(path.join(tmp, 'node_modules', nodePackageName(), 'bin', 'node'), ['--version'], {}, log).trim();
		if (version !== `v${nodeVersion}`) throw new Error(`The installed Node says ${version}, not v${nodeVersion}`);
	});
	const home = path.join(dir, 'node_modules', nodePackageName());
	return { home, bin: path.join(home, 'bin'), node: path.join(home, 'bin', 'node') };
}

/** The n8n folder's name carries a hash of the pin: changing its lockfile installs anew. */
function n8nFolder(root, pin = pinOf()) {
	const hash = crypto.createHash('sha256');
	for (const file of [pin.packageFile, pin.lockFile]) hash.update(fs.readFileSync(file));
	hash.update(pin.nodeVersion);
	return path.join(root, `n8n-${pin.n8nVersion}-${hash.digest('hex').slice(0, 10)}`);
}

function ensureN8n(root, pin, node, log) {
	const N8N_VERSION = pin.n8nVersion;
	if (!fs.existsSync(n8nFolder(root, pin))) log(`n8n ${N8N_VERSION} is not in the cache yet: installing it takes about five minutes and 3 GB of disk.`);
	const dir = installOnce(root, n8nFolder(root, pin), `n8n ${N8N_VERSION}`, log, (tmp) => {
		fs.copyFileSync(pin.packageFile, path.join(tmp, 'package.json'));
		fs.copyFileSync(pin.lockFile, path.join(tmp, 'package-lock.json'));
		// The pin's Node first on PATH: npm then resolves n8n's engines and builds for the Node that runs it.
		const env = cleanNpmEnv({ PATH: `${node.bin}${path.delimiter}${process.env.PATH}` });
		// Scripts off: a Kafka client's native build fails here and n8n does not need it. The one
		// native module n8n needs, sqlite3, is then built against that Node's headers.
		run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: tmp, env }, log);
		run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--build-from-source', `--nodedir=${node.home}`], { cwd: tmp, env }, log);
		const version = run(node.node, [path.join(tmp, 'node_modules', 'n8n', 'bin', 'n8n'), '--version'], { cwd: tmp, env }, log).trim();
		if (!version.split('\n').includes(N8N_VERSION)) throw new Error(`The installed n8n says "${version}", not ${N8N_VERSION}`);
	});
	return { dir, n8n: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

/**
 * A pin's Node and n8n (the current one unless `pinName` or $HELLOTECH_N8N_PIN says otherwise),
 * installed into the cache when they are not there yet. `env` is what that n8n needs to run.
 */
function ensureRuntime(log = console.log, pinName) {
	const root = cacheRoot();
	const pin = pinOf(pinName);
	const node = ensureNode(root, pin.nodeVersion, log);
	const n8n = ensureN8n(root, pin, node, log);
	return { root, pin: pin.name, nodeVersion: pin.nodeVersion, n8nVersion: pin.n8nVersion, env: pin.env, node, n8n: n8n.n8n, n8nDir: n8n.dir };
}

module.exports = { ensureRuntime, installOnce, cacheRoot, n8nFolder, cleanNpmEnv, pinOf, PINS };
