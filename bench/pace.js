#!/usr/bin/env node
'use strict';
/**
 * npm run bench:pace: the pace (transport/pacer.ts) on the simulated clock of
 * test/harness/pace-sim.js, for every limiter kind of the sandbox: 4 and 8 runs of 200 creates
 * sharing 50 requests/s (20 in flight each, version 2's default), started within 0.1 s of each
 * other and, as n8n's queue mode starts executions, within 2 s; and one run of 500 alone under
 * 100 requests/s. No real time passes, so the figures are the same on any
 * machine, however busy: they show the design, the real-time benches (npm run bench, npm run
 * bench:n8n:queue) show the code in n8n.
 *
 *   node bench/pace.js [--seeds 6] [--spreads 100,2000] [--against <dist folder of another build>]
 *
 * Each row is the worst of the seeds (each seed starts the runs at another moment of a second,
 * in another order, with other latencies). --against prints another build's figures beside
 * (a copy of an earlier `dist`, say, to compare before and after).
 */
const path = require('path');

const { simulate } = require('../test/harness/pace-sim');

const args = process.argv.slice(2);
const argument = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const SEEDS = Array.from({ length: Number(argument('seeds', 6)) }, (_, i) => i + 1);
/** The runs start within this many ms of each other (at random). */
const SPREADS = argument('spreads', '100,2000').split(',').map(Number);

const load = (dist) => ({
	Pacer: require(path.resolve(dist, 'nodes/HelloTech/transport/pacer')).Pacer,
	RETRY: require(path.resolve(dist, 'nodes/HelloTech/transport/request')).RETRY,
});
const builds = [['this build', load(path.join(__dirname, '..', 'dist'))]];
if (argument('against')) builds.unshift([`${argument('against')}`, load(argument('against'))]);

/** The limiter kinds (the sandbox's faults), shared (50/s) and alone (100/s). */
const KINDS = [
	['fixed 1 s windows', { rateLimit: { kind: 'fixed', limit: 50 } }, { rateLimit: { kind: 'fixed', limit: 100 } }],
	['fixed, no Retry-After', { rateLimit: { kind: 'fixed', limit: 50 }, rateLimitAnswer: 'plain' }, { rateLimit: { kind: 'fixed', limit: 100 }, rateLimitAnswer: 'plain' }],
	['sliding window', { rateLimit: { kind: 'sliding', limit: 50 } }, { rateLimit: { kind: 'sliding', limit: 100 } }],
	['token bucket', { rateLimit: { kind: 'bucket', rate: 50, burst: 25 } }, { rateLimit: { kind: 'bucket', rate: 100, burst: 50 } }],
];
const TARGETS = { ratio: 1.15, fairness: 1.5, refused: 0.05, alone: 1.05 };

async function worst(code, faults, sizes, spreadMs = 100) {
	const w = { ratio: 0, fairness: 0, refused: 0, failed: 0, early: 0 };
	for (const seed of SEEDS) {
		const r = await simulate(code, faults, sizes, { seed, offsetMs: (seed * 337) % 1000, spreadMs });
		w.ratio = Math.max(w.ratio, r.ratio);
		w.fairness = Math.max(w.fairness, r.fairness);
		w.refused = Math.max(w.refused, r.refusedShare);
		w.failed += r.failed;
		w.early += r.early;
	}
	return w;
}

const x = (value, target) => `${value.toFixed(2)}×${value > target ? ' !' : ''}`;
const pct = (value) => `${(100 * value).toFixed(1)} %${value > TARGETS.refused ? ' !' : ''}`;

async function main() {
	const rows = [];
	for (const [name, shared, alone] of KINDS) {
		for (const spreadMs of SPREADS) {
			for (const runs of [4, 8]) {
				const cells = [];
				for (const [, code] of builds) {
					const w = await worst(code, shared, Array(runs).fill(200), spreadMs);
					cells.push(`${x(w.ratio, TARGETS.ratio)}  ${x(w.fairness, TARGETS.fairness)}  ${pct(w.refused)}${w.failed || w.early ? `  ${w.failed} failed, ${w.early} early` : ''}`);
				}
				rows.push([`${name}, ${runs} × 200 sharing 50/s, started within ${spreadMs / 1000} s`, ...cells]);
			}
		}
		const cells = [];
		for (const [, code] of builds) {
			const w = await worst(code, alone, [500]);
			cells.push(`${x(w.ratio, TARGETS.alone)}  ${pct(w.refused)}`);
		}
		rows.push([`${name}, 1 × 500 alone under 100/s`, ...cells]);
	}
	const header = ['scenario (worst of the seeds)', ...builds.map(([name]) => `${name}: time / bound, slowest / fastest, 429s`)];
	const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
	const line = (cells) => cells.map((cell, i) => cell.padEnd(widths[i])).join('   ').trimEnd();
	console.log(`\nThe pace on a simulated clock: ${SEEDS.length} seeds, 20 in flight per run, 20 ms latency; targets ≤ ${TARGETS.ratio}× the bound, slowest ≤ ${TARGETS.fairness}× the fastest, 429s ≤ ${100 * TARGETS.refused} %, alone ≤ ${TARGETS.alone}× (! marks a miss)\n`);
	console.log(line(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('   '));
	for (const row of rows) console.log(line(row));
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
