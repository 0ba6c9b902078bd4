'use strict';
/** The table `npm run bench:n8n` prints: medians per side, ratios, what went wrong, the targets. */
const os = require('os');

const median = (values) => {
	const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const max = (values) => Math.max(...values);
const min = (values) => Math.min(...values);

const seconds = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');
const times = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '');
/** Three decimals where a verdict is read, so that 1.10× cannot stand for a missed 1.102×. */
const exact = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(3)}×` : '');
const mb = (value) => (Number.isFinite(value) ? `${Math.round(value)} MB` : '—');

/** One side's figures over its rounds. */
function summarize(runs) {
	const pick = (key) => runs.map((run) => run[key]);
	const creates = runs[0].rows !== undefined;
	return {
		ms: median(pick('ms')),
		rounds: runs.length,
		spread: runs.length > 1 ? [min(pick('ms')), max(pick('ms'))] : undefined,
		cpuMs: median(pick('cpuMs')),
		rssPeakMb: median(pick('rssPeakMb')),
		rssGrowthMb: median(runs.map((run) => run.rssPeakMb - run.rssBeforeMb)),
		maxInFlight: max(pick('maxInFlight')),
		rateLimited: median(pick('rateLimited')),
		failed: max(pick('failed')),
		duplicates: creates ? max(pick('duplicates')) : max(runs.map((run) => run.outputs - run.distinct)),
		accounted: creates ? min(pick('accounted')) : min(pick('distinct')),
		of: creates ? runs[0].rows : runs[0].listed,
		created: creates ? min(pick('created')) : undefined,
		wrong: creates ? max(pick('wrong')) : 0,
		ordersPerPo: creates ? runs.map((run) => run.ordersPerPo) : undefined,
		statuses: [...new Set(pick('status').filter(Boolean))],
		errors: [...new Set(pick('error').filter(Boolean))],
	};
}

const histogramText = (histogram) =>
	Object.entries(histogram)
		.sort(([a], [b]) => Number(a) - Number(b))
		.map(([count, pos]) => `${pos} × ${count}`)
		.join(', ');

function table(header, lines) {
	const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
	const format = (line) => `    ${line.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`;
	return [format(header), `    ${widths.map((width) => '-'.repeat(width)).join('  ')}`, ...lines.map(format)].join('\n');
}

/** The profiled runs, per scenario: CPU ms per item (row or order) by package, one column per side. */
function whereTheTimeGoes(list, profiles) {
	const out = [];
	for (const scenario of list) {
		const mine = profiles.filter((profile) => profile.scenario === scenario.key);
		if (mine.length === 0) continue;
		// Packages under 2 % of every side's busy time go into one "other" line.
		const busy = (profile) => Object.entries(profile.buckets).reduce((sum, [bucket, ms]) => sum + (bucket === 'idle' ? 0 : ms), 0);
		const small = (bucket) => bucket !== 'this package (HelloTech node)' && mine.every((profile) => (profile.buckets[bucket] ?? 0) < 0.02 * busy(profile));
		for (const profile of mine) {
			const merged = {};
			for (const [bucket, ms] of Object.entries(profile.buckets)) {
				const name = bucket !== 'idle' && small(bucket) ? 'other' : bucket;
				merged[name] = (merged[name] ?? 0) + ms;
			}
			profile.buckets = merged;
		}
		const buckets = [...new Set(mine.flatMap((profile) => Object.keys(profile.buckets)))];
		const per = (profile, bucket) => (profile.buckets[bucket] ?? 0) / profile.items;
		buckets.sort((a, b) => (a === 'other') - (b === 'other') || per(mine[0], b) - per(mine[0], a));
		const unit = scenario.creates ? 'row' : 'order';
		out.push('');
		out.push(`${scenario.key} where the time goes: CPU profile of n8n's main process over one more run per side, from the webhook call until the execution was saved, ms per ${unit}`);
		const header = ['', ...mine.map((profile) => profile.side)];
		const lines = buckets
			.filter((bucket) => bucket !== 'idle')
			.map((bucket) => [bucket, ...mine.map((profile) => per(profile, bucket).toFixed(3))]);
		lines.push(['busy (all but idle)', ...mine.map((profile) => (busy(profile) / profile.items).toFixed(3))]);
		lines.push(['idle', ...mine.map((profile) => per(profile, 'idle').toFixed(3))]);
		lines.push(["the measured node's time in that run", ...mine.map((profile) => (profile.ms / profile.items).toFixed(3))]);
		out.push(table(header, lines));
	}
	return out;
}

function report({ list, results, profiles = [], rounds, runtime, node, size, quick, seconds: took }) {
	const out = [];
	out.push('');
	out.push(
		`HelloTech node in a real n8n: n8n ${runtime.n8nVersion} on Node ${runtime.nodeVersion} (expression engine: n8n's default), ${os.cpus().length} × ${os.cpus()[0]?.model}, load average ${os.loadavg()[0].toFixed(2)} at the end`,
	);
	out.push(
		`median of ${rounds} round${rounds > 1 ? 's' : ''}${quick ? ` (QUICK MODE: ${size.creates} creates, ${size.listed} orders listed, not the issue's sizes)` : ''}; HelloTech Max Concurrent Requests: ${node.maxConcurrent} (default); ${Math.round(took)} s in all`,
	);
	const verdicts = [];
	for (const scenario of list) {
		const sides = scenario.sides.map((side) => ({ side, runs: results.filter((run) => run.scenario === scenario.key && run.side === side.key) })).filter((entry) => entry.runs.length);
		if (sides.length === 0) continue;
		const figures = new Map(sides.map(({ side, runs }) => [side.key, summarize(runs)]));
		// The HTTP Request node's variants this scenario compares with, the fastest (median) first.
		const references = scenario.reference.filter((key) => figures.has(key)).sort((a, b) => figures.get(a).ms - figures.get(b).ms);
		const sideNamed = (key) => scenario.sides.find((side) => side.key === key);
		// × HTTP is the median of the ratios of each round: the two ran minutes apart at most, so a
		// machine that is busier in one round than in another weighs on both sides of that ratio.
		const runsOf = (key) => sides.find((entry) => entry.side.key === key).runs;
		const vs = (key, refKey) => median(runsOf(key).map((run) => run.ms / runsOf(refKey).find((ref) => ref.round === run.round)?.ms));
		out.push('');
		out.push(`${scenario.key}  ${scenario.title}`);
		out.push(`    ${scenario.floorNote}`);
		// What the sides are compared with: the HTTP Request node, unless the scenario says otherwise (S4: the plain create).
		const versus = scenario.versus ? '×' : '× HTTP';
		out.push(`    ${versus} ${references.map((key) => `${sideNamed(key).short}: against ${sideNamed(key).label}`).join('; ')}`);
		const header = ['side', 'time', ...references.map((key) => `${versus} ${sideNamed(key).short}`), '× floor/bound', 'failed', 'duplicates', scenario.creates ? 'accounted' : 'items', 'in flight', '429s', 'CPU', 'RSS peak (run)'];
		const lines = sides.map(({ side }) => {
			const f = figures.get(side.key);
			return [
				side.label,
				seconds(f.ms),
				...references.map((key) => times(vs(side.key, key))),
				side.floorMs ? times(f.ms / side.floorMs) : '',
				String(f.failed),
				String(f.duplicates),
				`${f.accounted}/${f.of}`,
				String(f.maxInFlight),
				String(Math.round(f.rateLimited)),
				seconds(f.cpuMs),
				`${mb(f.rssPeakMb)} (+${mb(f.rssGrowthMb)})`,
			];
		});
		out.push(table(header, lines));
		for (const { side } of sides) {
			const f = figures.get(side.key);
			const notes = [];
			if (scenario.creates && (f.duplicates || f.created < f.of || scenario.key === 'S2c')) {
				notes.push(`orders per purchase order ID (POs × orders), by round: ${f.ordersPerPo.map(histogramText).join(' | ')}`);
			}
			if (f.wrong) notes.push(`WRONG: ${f.wrong} orders do not hold their row's name, email, address, phone or SKU`);
			if (f.statuses.some((status) => status !== 'success')) notes.push(`execution status: ${f.statuses.join(', ')}`);
			if (f.errors.length) notes.push(`error: ${f.errors[0]}`);
			if (f.spread) notes.push(`rounds from ${seconds(f.spread[0])} to ${seconds(f.spread[1])}`);
			if (notes.length) out.push(`    ${side.label}: ${notes.join('; ')}`);
		}
		for (const target of scenario.targets) {
			const f = figures.get(target.side);
			if (!f) continue;
			const side = scenario.sides.find((entry) => entry.key === target.side);
			const parts = [];
			let met = true;
			if (target.vsReference !== undefined && references.length) {
				// Judged against the fastest variant; the others are said too.
				met &&= vs(target.side, references[0]) <= target.vsReference;
				parts.push(
					references
						.map((key) => (scenario.versus ? `${exact(vs(target.side, key))} ${scenario.versus.name}` : `${exact(vs(target.side, key))} the HTTP Request node (${sideNamed(key).short})`))
						.join(', '),
				);
			}
			if (target.vsFloor !== undefined) {
				const ratio = f.ms / side.floorMs;
				met &&= ratio <= target.vsFloor;
				parts.push(`${exact(ratio)} the bound`);
			}
			if (target.noFailures) {
				met &&= f.failed === 0;
				parts.push(`${f.failed} failed`);
			}
			if (target.maxInFlight !== undefined) {
				met &&= f.maxInFlight <= target.maxInFlight;
				parts.push(`at most ${f.maxInFlight} in flight`);
			}
			if (target.noDuplicates) {
				met &&= f.duplicates === 0;
				parts.push(`${f.duplicates} duplicated`);
			}
			if (target.accounted) {
				met &&= f.accounted === f.of;
				parts.push(`${f.accounted}/${f.of} items accounted for`);
			}
			if (target.allListed) {
				met &&= f.accounted === f.of && f.duplicates === 0;
				parts.push(`${f.accounted}/${f.of} orders, one item each`);
			}
			verdicts.push({ met, text: `${scenario.key} ${side.label}: ${target.label}: ${parts.join(', ')}` });
		}
	}
	out.push(...whereTheTimeGoes(list, profiles));
	out.push('');
	out.push('Targets (issues #9 and #18; a benchmark, not a test):');
	for (const verdict of verdicts) out.push(`  ${verdict.met ? 'met   ' : 'MISSED'} ${verdict.text}`);
	out.push(`
How it is measured. One \`n8n start\` (SQLite, regular mode, defaults) runs every workflow, each
activated and started by its production webhook; the package is installed as a community package
from its tarball. "time" is the measured node's execution time as n8n records it in the execution
(runData[node].executionTime; for the HTTP Request listing, HTTP Request + Split Out), the median
of the rounds; it leaves out the webhook, splitting the posted rows into items, and saving the
execution. "× HTTP": the median over the rounds of the side's time / the HTTP Request node's time
in the same round (a target is judged against the fastest HTTP Request variant). The plain loop runs in its own process on n8n's Node and times its first request to its
last answer. Every side sends one request per connection (no keep-alive). The sandbox runs in its
own process and is reset before every run. "failed": rows without a successful output item;
"duplicates": purchase order IDs with more than one order in the sandbox (for a listing: items
repeated); "accounted": input rows with an output item paired to them (for a listing: distinct
orders put out); "in flight": the most requests the sandbox had open at once; "429s": answers
"too many requests"; "CPU" and "RSS peak": of the n8n process (the loop's own process for the
loop) from the webhook call until the execution was saved, RSS sampled every 20 ms, "(run)" its
growth over the run. Floors: N × latency / requests in flight; bound: N / rate limit.`);
	return out.join('\n');
}

module.exports = { report };
