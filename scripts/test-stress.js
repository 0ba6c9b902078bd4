#!/usr/bin/env node
'use strict';
/**
 * npm run test:stress — is `npm test` green under load? Runs the jest suite (as `npm test` runs
 * it, after one build) 20 times in a row while a second copy of the suite runs at the same time,
 * over and over, in a clone of this repository's HEAD (node_modules linked in). Prints a table:
 * each run's result, its wall time, the lines it printed, what it left in its temp directory (each
 * run gets an empty TMPDIR of its own), and the tests that failed; then the second copy's runs.
 * Exits non-zero when any run of either copy failed or left something behind.
 *
 *   npm run test:stress                 20 runs, with the second copy
 *   npm run test:stress -- --runs 5     fewer runs
 *   npm run test:stress -- --alone      without the second copy
 *   npm run test:stress -- --full       each run is the whole `npm test` (build, lint, jest)
 *   npm run test:stress -- --jest ARGS  what follows goes to jest, in both copies
 *                                       (e.g. --jest --testPathIgnorePatterns shared-limit)
 *
 * The output of a failed run is kept (the path is printed); everything else is removed.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const { makeClone, noteUncommitted, sh, ROOT } = require('./lib/clone');

function parseArgs(argv) {
	const options = { runs: 20, copy: true, full: false, jest: [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--jest') {
			options.jest = argv.slice(i + 1);
			break;
		}
		if (arg === '--runs') options.runs = Number(argv[++i]);
		else if (arg === '--alone') options.copy = false;
		else if (arg === '--full') options.full = true;
		else throw new Error(`Unknown option ${arg} (use --runs N, --alone, --full, --jest ARGS)`);
	}
	if (!Number.isInteger(options.runs) || options.runs < 1) throw new Error('--runs takes a whole number of at least 1');
	return options;
}

const JEST = path.join('node_modules', 'jest', 'bin', 'jest.js');

/**
 * Runs the suite once in `cwd` with an empty TMPDIR of its own; resolves with what it did.
 * `onStart` gets the child process (to stop it).
 */
function runSuite(cwd, scratch, label, { full = false, extra = [], onStart = () => {} } = {}) {
	const tmp = fs.mkdtempSync(path.join(scratch, `${label}-tmp-`));
	const resultFile = path.join(scratch, `${label}-result.json`);
	fs.rmSync(resultFile, { force: true });
	// --json --outputFile: the results as data for this script; jest's own report still goes to the terminal stream.
	const jestArgs = ['--json', `--outputFile=${resultFile}`, ...extra];
	const [command, args] = full ? ['npm', ['test', '--', ...jestArgs]] : [process.execPath, [JEST, ...jestArgs]];
	const startedAt = Date.now();
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd, env: { ...process.env, TMPDIR: tmp, CI: 'true', FORCE_COLOR: '0' }, detached: true });
		onStart(child);
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code, signal) => {
			const seconds = (Date.now() - startedAt) / 1000;
			const left = fs.readdirSync(tmp);
			fs.rmSync(tmp, { recursive: true, force: true });
			let result;
			try {
				result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
			} catch {
				result = undefined;
			}
			const failed = [];
			for (const file of result?.testResults ?? []) {
				const name = path.relative(cwd, file.name);
				for (const test of file.assertionResults ?? []) if (test.status === 'failed') failed.push(`${name}: ${test.fullName}`);
				if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed')) failed.push(`${name}: the file failed to run`);
			}
			resolve({
				code,
				signal,
				seconds,
				lines: output.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1).length,
				left,
				passed: result?.numPassedTests,
				total: result?.numTotalTests,
				failed,
				ok: code === 0 && left.length === 0,
				output,
			});
		});
	});
}

const pad = (value, width) => String(value).padEnd(width);
const padLeft = (value, width) => String(value).padStart(width);
const load = () => os.loadavg().map((value) => value.toFixed(1)).join(' ');

function row(label, run) {
	const result = run.signal ? `killed (${run.signal})` : run.ok ? 'pass' : 'FAIL';
	const tests = run.total === undefined ? '-' : `${run.passed}/${run.total}`;
	const failed = run.failed.length > 0 ? run.failed.join('; ') : run.code !== 0 && !run.signal ? `exit code ${run.code}` : '';
	return `${pad(label, 6)} ${pad(result, 6)} ${padLeft(tests, 9)} ${padLeft(run.seconds.toFixed(1), 8)} ${padLeft(run.lines, 6)} ${padLeft(run.left.length, 9)}  ${failed}`;
}

const HEADER = `${pad('run', 6)} ${pad('result', 6)} ${padLeft('tests', 9)} ${padLeft('wall s', 8)} ${padLeft('lines', 6)} ${padLeft('temp left', 9)}  failed tests`;

async function main() {
	const options = parseArgs(process.argv.slice(2));
	if (!fs.existsSync(path.join(ROOT, JEST))) throw new Error('node_modules is missing: run `npm ci` first');
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-stress-'));
	const kept = [];
	let copyChild;
	let stopping = false;
	const cleanUp = () => {
		stopping = true;
		if (copyChild && copyChild.exitCode === null) {
			try {
				process.kill(-copyChild.pid, 'SIGTERM'); // the copy's jest and its workers
			} catch {
				// already gone
			}
		}
	};
	process.once('SIGINT', () => {
		cleanUp();
		fs.rmSync(scratch, { recursive: true, force: true });
		process.exit(130);
	});

	console.log(`test:stress: ${options.runs} runs of the suite${options.full ? ' (the whole npm test)' : ''} in ${ROOT}${options.copy ? ', a second copy running at the same time' : ''}`);
	if (options.jest.length > 0) console.log(`  jest ${options.jest.join(' ')}`);
	console.log(`  machine: ${os.cpus().length} cores, load average ${load()} at the start`);
	if (!options.full) {
		process.stdout.write('  npm run build... ');
		const build = sh(ROOT, 'npm', ['run', 'build']);
		if (build.code !== 0) throw new Error(`npm run build failed:\n${build.output}`);
		console.log('done');
	}

	const copyRuns = [];
	let copyLoop = Promise.resolve();
	if (options.copy) {
		noteUncommitted();
		process.stdout.write('  the second copy: a clone of HEAD, built... ');
		const { repo } = makeClone(scratch);
		const build = sh(repo, 'npm', ['run', 'build']);
		if (build.code !== 0) throw new Error(`npm run build failed in the clone:\n${build.output}`);
		console.log('started');
		copyLoop = (async () => {
			while (!stopping) {
				const run = await runSuite(repo, scratch, 'copy', { extra: options.jest, onStart: (child) => (copyChild = child) });
				if (!run.signal) copyRuns.push(run);
			}
		})();
	}

	console.log(`\n${HEADER}`);
	const runs = [];
	for (let i = 1; i <= options.runs; i++) {
		const run = await runSuite(ROOT, scratch, `run-${i}`, { full: options.full, extra: options.jest });
		runs.push(run);
		if (!run.ok) {
			const file = path.join(os.tmpdir(), `hellotech-stress-run-${i}-${process.pid}.log`);
			fs.writeFileSync(file, run.output);
			kept.push(file);
		}
		console.log(row(String(i), run));
	}
	cleanUp();
	await copyLoop;

	if (options.copy) {
		console.log(`\nThe second copy, at the same time: ${copyRuns.length} complete runs (the one still going was stopped)`);
		copyRuns.forEach((run, index) => {
			if (!run.ok) {
				const file = path.join(os.tmpdir(), `hellotech-stress-copy-${index + 1}-${process.pid}.log`);
				fs.writeFileSync(file, run.output);
				kept.push(file);
			}
			console.log(row(`c${index + 1}`, run));
		});
	}
	fs.rmSync(scratch, { recursive: true, force: true });

	const failedRuns = runs.filter((run) => !run.ok).length;
	const failedCopies = copyRuns.filter((run) => !run.ok).length;
	const seconds = runs.map((run) => run.seconds).sort((a, b) => a - b);
	const median = seconds[Math.floor(seconds.length / 2)];
	const lines = runs.map((run) => run.lines);
	console.log(
		`\nSummary: ${runs.length - failedRuns}/${runs.length} runs passed${options.copy ? `, the second copy ${copyRuns.length - failedCopies}/${copyRuns.length}` : ''}; ` +
			`wall time median ${median.toFixed(1)} s (${seconds[0].toFixed(1)}–${seconds.at(-1).toFixed(1)}); ` +
			`lines printed ${Math.min(...lines)}–${Math.max(...lines)}; temp entries left ${runs.reduce((sum, run) => sum + run.left.length, 0)}; ` +
			`load average ${load()} at the end`,
	);
	const failures = new Map();
	for (const run of [...runs, ...copyRuns]) for (const name of run.failed) failures.set(name, (failures.get(name) ?? 0) + 1);
	for (const [name, count] of failures) console.log(`  failed ${count}×: ${name}`);
	for (const file of kept) console.log(`  output of a failed run kept in ${file}`);
	process.exitCode = failedRuns + failedCopies > 0 ? 1 : 0;
}

main().catch((error) => {
	console.error(`test:stress: ${error.message}`);
	process.exitCode = 1;
});
