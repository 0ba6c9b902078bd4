'use strict';
/**
 * n8n's queue mode on this machine, as users scale n8n out: Redis as the queue and Postgres as the
 * database (from Debian's packages, started on free ports in temporary folders), a main
 * (`n8n start`) and workers (`n8n worker`), each with its own user folder holding the packed
 * package. Shared by npm run test:n8n:queue and npm run bench:n8n:queue.
 *
 * `queueCluster(context)` binds these to the caller's bookkeeping: `log(text)`, `onStop(label,
 * stop)` (everything started is stopped by PID, in reverse order, also on failure or Ctrl-C),
 * `until(what, test, options)` (polls until `test` gives a value, else fails), `fatal(message)`
 * (throws: the run cannot go on) and `keepFiles()` (keep the temporary folders for a look).
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const { freePort, tail } = require('./n8n');

const ROOT = path.resolve(__dirname, '..', '..');

const readIfThere = (file) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');

function queueCluster({ log, onStop, until, fatal, keepFiles }) {
	/**
	 * A long-running child process whose output goes to `logFile`; stopped by PID: SIGTERM, then
	 * SIGKILL after `graceMs`.
	 */
	function startProcess(label, command, args, { env, cwd, logFile, graceMs = 20_000 }) {
		const out = fs.openSync(logFile, 'a');
		const child = spawn(command, args, { env, cwd, stdio: ['ignore', out, out] });
		fs.closeSync(out);
		let exited = null;
		const done = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
		const stop = async () => {
			if (exited) return;
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await done;
			clearTimeout(killer);
		};
		onStop(`${label} (pid ${child.pid})`, stop);
		return { label, child, pid: child.pid, logFile, output: () => fs.readFileSync(logFile, 'utf8'), exited: () => exited, stop };
	}

	// ---- Redis and Postgres from Debian's packages ---------------------------------------------------

	/** The newest installed Postgres's binary `name` (Debian keeps them in /usr/lib/postgresql/<major>/bin). */
	function postgresBinary(name) {
		const base = '/usr/lib/postgresql';
		const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((entry) => /^\d+$/.test(entry)).sort((a, b) => b - a) : [];
		for (const major of majors) {
			const file = path.join(base, major, 'bin', name);
			if (fs.existsSync(file)) return file;
		}
		return undefined;
	}

	const redisBinary = () => ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) => fs.existsSync(file));

	function aptInstall(packages) {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const install = () =>
			spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...packages], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
		let result = install();
		if (result.status !== 0) {
			// A fresh machine may have no package lists yet.
			log('  apt-get install failed; apt-get update, then once more');
			spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
			result = install();
		}
		if (result.status !== 0) fatal(`apt-get install ${packages.join(' ')} failed:\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-15).join('\n')}`);
	}

	/** Installs redis-server and postgresql with apt-get when missing (root only); returns their versions. */
	function ensureDebianPackages() {
		const missing = [];
		if (!redisBinary()) missing.push('redis-server');
		if (!postgresBinary('initdb') || !postgresBinary('pg_ctl') || !postgresBinary('psql')) missing.push('postgresql');
		if (missing.length > 0) {
			if (process.getuid?.() !== 0) fatal(`${missing.join(' and ')} missing: install them (apt-get install ${missing.join(' ')}) or run this as root`);
			log(`  installing ${missing.join(' and ')} with apt-get (about a minute)`);
			const started = Date.now();
			aptInstall(missing);
			log(`  installed in ${Math.round((Date.now() - started) / 1000)} s`);
		}
		const redis = spawnSync(redisBinary() ?? 'redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim();
		const postgres = spawnSync(postgresBinary('postgres') ?? 'postgres', ['--version'], { encoding: 'utf8' }).stdout.trim();
		return { installed: Boolean(redisBinary() && postgresBinary('initdb')), versions: `${redis.split(' ').slice(0, 3).join(' ')}; ${postgres}` };
	}

	async function startRedis(dir) {
		const port = await freePort();
		const redis = startProcess('redis-server', redisBinary(), ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
			logFile: path.join(dir, 'redis.log'),
			graceMs: 5000,
		});
		await until(
			'Redis answering PING',
			() =>
				new Promise((resolve) => {
					const socket = net.connect(port, '127.0.0.1');
					socket.on('connect', () => socket.write('PING\r\n'));
					socket.on('data', (data) => {
						socket.destroy();
						resolve(String(data).startsWith('+PONG'));
					});
					socket.on('error', () => resolve(false));
				}),
			{ timeoutMs: 30_000, everyMs: 300, detail: () => tail(redis.output()) },
		);
		return { ...redis, port };
	}

	/** Runs a Postgres program as the user postgres when this is root (initdb refuses to run as root). */
	function asPostgres(command, args) {
		const asRoot = process.getuid?.() === 0;
		const result = asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
		return { ...result, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
	}

	async function startPostgres() {
		// Its own folder, owned by postgres when this is root: initdb and the server run as that user.
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-queue-pg-'));
		if (process.getuid?.() === 0) {
			const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
			const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
			if (!Number.isInteger(uid) || !Number.isInteger(gid)) fatal('no user postgres (the postgresql package creates it)');
			fs.chownSync(dir, uid, gid);
		}
		const data = path.join(dir, 'data');
		const port = await freePort();
		const init = asPostgres(postgresBinary('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
		if (init.status !== 0) fatal(`initdb failed:\n${init.output}`);
		const pgCtl = postgresBinary('pg_ctl');
		const started = asPostgres(pgCtl, ['-D', data, '-l', path.join(dir, 'postgres.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
		// Registered before checking: a start that timed out may still have left a server running.
		onStop(`Postgres (pg_ctl stop, ${data})`, async () => {
			const stopped = asPostgres(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
			if (stopped.status !== 0 && !/Is server running\?/.test(stopped.output)) throw new Error(stopped.output.trim());
			if (!keepFiles()) fs.rmSync(dir, { recursive: true, force: true });
		});
		if (started.status !== 0) fatal(`pg_ctl start failed:\n${started.output}\n${readIfThere(path.join(dir, 'postgres.log'))}`);
		const psql = (sql) => {
			const result = spawnSync(postgresBinary('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'n8n', '-At', '-F', '\t', '-c', sql], { encoding: 'utf8' });
			if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
			return result.stdout.split('\n').filter(Boolean).map((line) => line.split('\t'));
		};
		const created = spawnSync(postgresBinary('psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-c', 'CREATE DATABASE n8n'], { encoding: 'utf8' });
		if (created.status !== 0) fatal(`CREATE DATABASE failed: ${created.stderr}`);
		const pid = Number(readIfThere(path.join(data, 'postmaster.pid')).split('\n')[0]);
		const version = psql('SHOW server_version')[0][0];
		return { port, dir, data, pid, version, psql };
	}



	function buildAndPack(tmp) {
		const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
		if (build.status !== 0) fatal(`npm run build failed:\n${build.stdout}${build.stderr}`);
		const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
		if (pack.status !== 0) fatal(`npm pack failed:\n${pack.stderr}`);
		return path.join(tmp, JSON.parse(pack.stdout)[0].filename);
	}


	/** What every n8n process of the cluster shares: queue mode, the Redis queue, the Postgres database. */
	function clusterEnv(redis, postgres) {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			N8N_LOG_LEVEL: 'info',
		};
	}

	async function startMain(n8n, logFile) {
		const port = await freePort();
		const main = startProcess('n8n main', n8n.runtime.node.node, [n8n.runtime.n8n, 'start'], {
			env: { ...n8n.env, N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
			logFile,
		});
		const baseUrl = `http://127.0.0.1:${port}`;
		await until('the main answering /healthz/readiness', async () => !main.exited() && (await fetch(`${baseUrl}/healthz/readiness`).then((response) => response.ok, () => false)), {
			timeoutMs: 240_000,
			detail: () => (main.exited() ? `it exited (${JSON.stringify(main.exited())}):\n` : '') + tail(main.output()),
		});
		return { ...main, baseUrl };
	}

	async function startWorker(n8n, index, logFile, concurrency) {
		const healthPort = await freePort();
		const worker = startProcess(`n8n worker ${index}`, n8n.runtime.node.node, [n8n.runtime.n8n, 'worker', `--concurrency=${concurrency}`], {
			env: {
				...n8n.env,
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
			logFile,
		});
		const url = `http://127.0.0.1:${healthPort}/healthz/readiness`;
		await until(`worker ${index} answering /healthz/readiness`, async () => !worker.exited() && (await fetch(url).then((response) => response.ok, () => false)), {
			timeoutMs: 240_000,
			detail: () => (worker.exited() ? `it exited (${JSON.stringify(worker.exited())}):\n` : '') + tail(worker.output()),
		});
		return { ...worker, index };
	}

	return { startProcess, ensureDebianPackages, startRedis, startPostgres, buildAndPack, clusterEnv, startMain, startWorker };
}

module.exports = { queueCluster };
