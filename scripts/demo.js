#!/usr/bin/env node
'use strict';
/**
 * The main job, end to end: a workflow through n8n's real engine (n8n-core) with the HelloTech
 * node as a new user gets it (version 2) that creates orders for new clients from spreadsheet
 * rows, their columns mapped automatically by heading (one row has a bad email, to show the
 * paired error), lists the orders and counts them by tag; then a readable summary.
 *
 * By default it runs against the local HelloTech sandbox, started here. With HELLOTECH_API_KEY
 * (and optionally HELLOTECH_BASE_URL) set it runs against that API instead; there it only reads
 * (list, count) unless HELLOTECH_DEMO_CREATE=yes, because every order there is a real appointment.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const { autoMappedOrder } = require('../test/fixtures');

function newestMtime(dir) {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
	}
	return newest;
}

function buildIfNeeded() {
	const built = path.join(ROOT, 'dist', 'nodes', 'HelloTech', 'HelloTech.node.js');
	const sources = Math.max(newestMtime(path.join(ROOT, 'nodes')), newestMtime(path.join(ROOT, 'credentials')));
	if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
	console.log('Building the package (npm run build)...');
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/** Rows as a spreadsheet gives them: its own headings, which Map Automatically reads by name. */
const ROWS = [
	{ 'Purchase Order ID': 'DEMO-1001', 'First Name': 'Maya', 'Last Name': 'Lopez', Email: 'maya.lopez@example.com', Phone: '3105550101', Address: '719 Flower St, Los Angeles, CA 90017', 'SKU IDs': '10639', 'Time Windows': '2026-12-01 09:00-10:00' },
	{ 'Purchase Order ID': 'DEMO-1002', 'First Name': 'Sam', 'Last Name': 'Okafor', Email: 'sam.okafor@example', Phone: '2125550102', Address: '350 5th Ave, New York, NY 10118', 'SKU IDs': '10641', 'Time Windows': '' },
	{ 'Purchase Order ID': 'DEMO-1003', 'First Name': 'Lena', 'Last Name': 'Fischer', Email: 'lena.fischer@example.com', Phone: '4155550103', Address: '1 Ferry Building, San Francisco, CA 94111', 'SKU IDs': '10640, 10644', 'Time Windows': '2026-12-02 09:00-10:00; 2026-12-02 14:00-15:00' },
];
const TAGS = ['partner-api', 'store-42', 'spring-promo'];

function demoWorkflow({ create }) {
	const node = (name, x, parameters, extra = {}) => ({
		id: name.toLowerCase().replace(/\W+/g, '-'),
		name,
		type: 'n8n-nodes-hellotech.helloTech',
		typeVersion: 2,
		position: [x, 0],
		parameters,
		credentials: { helloTechApi: { id: '1', name: 'HelloTech account' } },
		...extra,
	});
	const nodes = [
		{ id: 'rows', name: 'Spreadsheet Rows', type: 'test.items', typeVersion: 1, position: [0, 0], parameters: { items: JSON.stringify(ROWS) } },
		node(
			'Create Orders',
			200,
			autoMappedOrder(),
			{ onError: 'continueRegularOutput', disabled: !create },
		),
		node('List Orders', 400, { resource: 'order', operation: 'getAll', returnAll: false, limit: 10 }, { executeOnce: true }),
		node('Count by Tag', 600, { resource: 'order', operation: 'countByTag', tags: TAGS.join(', ') }, { executeOnce: true }),
	];
	const link = (to) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	const connections = { 'Spreadsheet Rows': link('Create Orders'), 'Create Orders': link('List Orders'), 'List Orders': link('Count by Tag') };
	return { name: 'HelloTech demo', nodes, connections };
}

function printSummary(run, { target, create }) {
	const runData = run.data.resultData.runData;
	const items = (name) => runData[name]?.[0]?.data?.main?.[0] ?? [];
	const failed = Object.entries(runData).find(([, tasks]) => tasks[0]?.error);
	console.log(`\nHelloTech demo — ${target}\n`);
	if (create) {
		console.log('Create Orders (one input row → one output item, paired):');
		for (const item of items('Create Orders')) {
			const row = ROWS[item.pairedItem.item];
			const windows = (item.json.availability ?? []).length;
			const result = item.json.error
				? `ERROR  ${item.json.error}`
				: `order ${item.json.id} (${item.json.status}, ${windows} time window${windows === 1 ? '' : 's'})`;
			const customer = `${row['First Name']} ${row['Last Name']}`;
			console.log(`  row ${item.pairedItem.item + 1}  ${row['Purchase Order ID']}  ${customer.padEnd(14)} → ${result}`);
		}
	} else {
		console.log('Create Orders: skipped against a real API (set HELLOTECH_DEMO_CREATE=yes to create real orders).');
	}
	const listed = items('List Orders');
	console.log(`\nList Orders (newest ${listed.length}):`);
	for (const { json } of listed) {
		// Version 2 simplifies orders by default: created_at is then ISO text, not HelloTech's { iso, ... }.
		const created = typeof json.created_at === 'string' ? json.created_at : json.created_at?.iso ?? '';
		console.log(`  #${json.id}  ${String(json.status ?? '').padEnd(10)} ${created.padEnd(21)} tags: ${(json.tags ?? []).join(', ') || '-'}`);
	}
	const [count] = items('Count by Tag');
	if (count) {
		console.log('\nCount by Tag:');
		for (const [tag, n] of Object.entries(count.json.counts ?? {})) console.log(`  ${tag.padEnd(14)} ${n}`);
	}
	if (failed) {
		console.log(`\nThe workflow stopped at "${failed[0]}": ${failed[1][0].error.message}`);
		return false;
	}
	return true;
}

async function main() {
	buildIfNeeded();
	const { executeWorkflow } = require('../test/harness/engine');
	const realKey = process.env.HELLOTECH_API_KEY;
	let sandbox;
	let credentials;
	let target;
	if (realKey) {
		const baseUrl = process.env.HELLOTECH_BASE_URL || 'https://apis.hellotech.com';
		credentials = { apiKey: realKey, baseUrl };
		target = `the HelloTech API at ${baseUrl}`;
	} else {
		const { createSandbox } = require('../test/sandbox/server');
		const { seedDemoData } = require('../test/sandbox/seed');
		sandbox = createSandbox();
		const url = await sandbox.start(0);
		seedDemoData(sandbox.state, 24);
		credentials = { apiKey: sandbox.apiKey, baseUrl: url };
		target = `local HelloTech sandbox at ${url}`;
	}
	const create = !realKey || process.env.HELLOTECH_DEMO_CREATE === 'yes';
	try {
		const run = await executeWorkflow(demoWorkflow({ create }), { credentials: { helloTechApi: credentials } });
		const ok = printSummary(run, { target, create });
		if (sandbox) {
			const { orders } = sandbox.state;
			console.log(`\nSandbox now holds ${orders.length} orders; created by this run: ${orders.filter((o) => String(o.purchase_order_id).startsWith('DEMO-')).map((o) => o.purchase_order_id).join(', ')}.`);
		}
		process.exitCode = ok ? 0 : 1;
	} finally {
		if (sandbox) await sandbox.stop();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
