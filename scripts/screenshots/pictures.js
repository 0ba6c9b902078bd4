'use strict';
/**
 * The pictures `npm run screenshots` takes, one entry each: the file it writes under docs/images/,
 * what it shows, and `shoot(context)`, which resolves the PNG. context: { editor (./editor.js:
 * its `page` is a Playwright page of n8n's editor, logged in), session (n8n's REST API as the
 * owner), sandbox (the HelloTech sandbox's control client), credentials ({ helloTech: id }),
 * packageName, root, tmp (a scratch folder the run removes) }. A picture of something else than
 * the editor can render its own page (`editor.page.setContent(html)`) and return
 * `editor.screenshot()`. Pictures of one run (several of a workflow) keep it in `context`.
 */
const fs = require('fs');
const path = require('path');

const { orderReport } = require('../real-n8n/order-report');
const { emailPng } = require('../real-n8n/render-email');
const { upsertCredential } = require('../real-n8n/rest');
const { startSmtpServer } = require('../real-n8n/smtp');

const ROOT = path.resolve(__dirname, '..', '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
const nodeNamed = (workflow, name) => workflow.nodes.find((node) => node.name === name);
/** Points the HelloTech nodes `names` of `workflow` at the sandbox's credential. */
const useHelloTech = (workflow, names, credentials) => {
	for (const name of names) nodeNamed(workflow, name).credentials = { helloTechApi: { id: credentials.helloTech, name: 'HelloTech account' } };
};

/**
 * examples/google-sheet-to-orders.json as a user has it after step 2 of the README's quick start:
 * the sheet and the credentials picked. The Google Sheets nodes run on pinned data (the rows of
 * scripts/real-n8n/fixtures/google-sheets-rows.json, as that node reads a sheet), so the picture
 * needs no Google account; the HelloTech node books them in the local sandbox.
 */
async function quickStartWorkflow({ session, credentials }) {
	const workflow = readJson('examples/google-sheet-to-orders.json');
	const google = await session.request('POST', '/credentials', {
		name: 'Google Sheets account',
		type: 'googleSheetsOAuth2Api',
		data: { clientId: 'pinned-data-only', clientSecret: 'pinned-data-only' },
	});
	const { rows } = readJson('scripts/real-n8n/fixtures/google-sheets-rows.json');
	for (const name of ['Get orders to book', 'Write back to the sheet']) {
		Object.assign(nodeNamed(workflow, name).parameters, {
			documentId: { __rl: true, mode: 'list', value: '1HtQuickStartSheet', cachedResultName: 'HelloTech bookings' },
			sheetName: { __rl: true, mode: 'list', value: 'gid=0', cachedResultName: 'Orders' },
		});
		nodeNamed(workflow, name).credentials = { googleSheetsOAuth2Api: { id: google.id, name: 'Google Sheets account' } };
	}
	useHelloTech(workflow, ['Create order'], credentials);
	const open = rows.filter((row) => !row['HelloTech Status']);
	workflow.pinData = {
		'Get orders to book': rows.map((json) => ({ json })),
		// What Google Sheets' Update Row answers: the rows it wrote (only their count shows).
		'Write back to the sheet': open.map((row) => ({ json: { row_number: row.row_number } })),
	};
	return workflow;
}

// The nodes that run (the Google Sheets nodes are pinned).
const QUICK_START_NODES = ['Not booked yet', 'Create order', 'Order ID and status for the row'];

/**
 * The quick start workflow, run once on the editor's page (later pictures of it reuse that run):
 * the canvas as it is after Execute workflow. Its sticky notes stay out of the pictures.
 */
async function quickStartRun(context) {
	const { editor, sandbox } = context;
	if (!context.quickStartId || !editor.page.url().endsWith(`/workflow/${context.quickStartId}`)) {
		await sandbox.reset();
		const workflow = await quickStartWorkflow(context);
		workflow.nodes = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		context.quickStartId = await editor.openWorkflow(workflow);
		await editor.execute(QUICK_START_NODES);
	}
	await editor.closeNode();
}

/** The part of the page that shows a node's details without its output panel (an NDV is 3 panels). */
async function inputAndParameters(editor) {
	const output = await editor.page.locator('[data-test-id="output-panel"]:visible').first().boundingBox();
	const ndv = await editor.ndv().first().boundingBox();
	return { x: 0, y: 0, width: Math.round(output ? output.x : ndv.x + ndv.width), height: editor.page.viewportSize().height };
}

/** A picture of one node of the quick start's run, opened; `clip(editor)` picks part of the page. */
function quickStartNode(file, about, node, clip) {
	return {
		file,
		about,
		async shoot(context) {
			await quickStartRun(context);
			await context.editor.openNode(node);
			return context.editor.screenshot(clip ? { clip: await clip(context.editor) } : {});
		},
	};
}

/**
 * The HTML of the email examples/scheduled-order-report.json sends, run once in the editor (both
 * pictures of it reuse it) as test:n8n runs it (scripts/real-n8n/order-report.js, its daily
 * variant): the sandbox seeded with sixteen days of orders, n8n's Send Email node delivering to a
 * local SMTP server. The workflow's time zone is UTC, as in test:n8n, the days the seed fills.
 */
async function orderReportEmail(context) {
	if (context.orderReportHtml) return context.orderReportHtml;
	const { editor, session, sandbox, credentials, tmp } = context;
	const smtp = await startSmtpServer();
	try {
		smtp.credentialId = await upsertCredential(session, { name: 'Local SMTP', type: 'smtp', data: smtp.credentialData });
		const report = orderReport('day');
		const workflow = readJson(`examples/${report.file}`);
		useHelloTech(workflow, report.helloTechNodes, credentials);
		workflow.settings = { ...workflow.settings, timezone: 'UTC' };
		report.prepare(workflow, { smtp, tmp });
		await report.seed(sandbox);
		await editor.openWorkflow(workflow);
		await editor.execute(['Send the report']);
		if (smtp.messages.length !== 1) throw new Error(`the order report sent ${smtp.messages.length} emails, not 1`);
		const { html } = await smtp.parse(smtp.messages[0]);
		if (!html) throw new Error('the order report email has no HTML body');
		context.orderReportHtml = html;
		return html;
	} finally {
		await smtp.close();
	}
}

/** A picture of the order report email as a mail client shows it (render-email.js), `options` its size. */
function orderReportPicture(file, about, options) {
	return {
		file,
		about,
		async shoot(context) {
			return emailPng(context.editor.page.context().browser(), await orderReportEmail(context), options);
		},
	};
}

const pictures = [
	{
		file: 'quick-start-workflow.png',
		about: 'the Google Sheet → HelloTech quick start, run: rows in, orders booked, order IDs and statuses back to the sheet',
		async shoot(context) {
			await quickStartRun(context);
			return context.editor.screenshot();
		},
	},
	quickStartNode('quick-start-create-order.png', "Create order after the run: the sheet's rows in, Mapping: Map Automatically", 'Create order', inputAndParameters),
	quickStartNode(
		'quick-start-written-back.png',
		"what the quick start writes back to the sheet: each row's order ID and status, or why it was not booked",
		'Order ID and status for the row',
	),
	{
		file: 'actions-panel.png',
		about: "n8n's nodes panel for HelloTech: the node's description, actions and the trigger's events",
		async shoot(context) {
			const { editor } = context;
			await editor.page.setViewportSize({ width: 1440, height: 1180 });
			try {
				await quickStartRun(context);
				await editor.searchNodes('HelloTech');
				await editor.page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^HelloTech$/ }).first().click();
				// n8n opens the actions and leaves the triggers folded: unfold them too.
				const triggers = editor.page.locator('[data-test-id="node-creator-category-item"]', { hasText: /^\s*Triggers/ }).first();
				await triggers.click();
				await editor.page.waitForTimeout(1_000);
				const panel = await editor.byTestId('node-creator').first().boundingBox();
				return await editor.screenshot({ clip: panel });
			} finally {
				await editor.page.keyboard.press('Escape');
				await editor.page.setViewportSize(editor.viewport);
			}
		},
	},
	orderReportPicture(
		'order-report.png',
		'the order report email as received: totals against the day before, the orders that need attention, by status and by tag',
	),
	orderReportPicture('order-report-top.png', "the order report email's first screen, for the README", { height: 600 }),
];

module.exports = { pictures, quickStartWorkflow, QUICK_START_NODES };
