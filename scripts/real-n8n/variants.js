'use strict';
/**
 * test:n8n's look at one unpublished detail in a real n8n: a HelloTech that sends its whole SKU
 * catalogue in one answer, ignoring `limit` and `cursor` (the catalogue's paging is not published;
 * a stand-in written without this package's guesses does that). SKU → Get Many (Return All) and
 * Order → Create with Validate Only run through `n8n execute` against the sandbox answering so;
 * each SKU must come back once, the good row valid, the unknown SKU named, nothing created.
 * The engine tests run every operation under every variant (test/variants.test.js).
 */
const fs = require('fs');
const path = require('path');

const { orderFromRow } = require('../../test/fixtures');
const { DEFAULT_SKUS } = require('../../test/sandbox/state');

const WORKFLOW_ID = 'HtWholeSkuList01';

const ROWS = [
	{ po: 'WHOLE-1', first: 'Ada', last: 'Lovelace', email: 'ada@example.com', phone: '3105550123', address: '719 Flower St, Los Angeles, CA 90017', skus: '10639, 10641' },
	{ po: 'WHOLE-2', first: 'Alan', last: 'Turing', email: 'alan@example.com', phone: '3105550124', address: '719 Flower St, Los Angeles, CA 90017', skus: '99999' },
];

/**
 * The workflow: a Manual Trigger, then SKU → Get Many, and a sheet's rows (an Edit Fields node's
 * JSON split into items: `n8n execute` does not use pinned data) into Order → Create with Validate
 * Only.
 */
function workflow(packageName, credentials) {
	const helloTech = (name, position, parameters) => ({
		id: `whole-${name.toLowerCase().replace(/\W+/g, '-')}`,
		name,
		type: `${packageName}.helloTech`,
		typeVersion: 1,
		position,
		parameters,
		credentials,
	});
	return {
		id: WORKFLOW_ID,
		name: 'Whole SKU list (test:n8n)',
		active: false,
		settings: {},
		nodes: [
			{ id: 'whole-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'whole-sheet',
				name: 'Sheet',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 100],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows: ROWS }), options: {} },
			},
			{ id: 'whole-rows', name: 'Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [300, 100], parameters: { fieldToSplitOut: 'rows', options: {} } },
			helloTech('List SKUs', [200, -100], { resource: 'sku', operation: 'getAll', returnAll: true }),
			helloTech('Validate', [400, 100], orderFromRow({ requestOptions: { validateOnly: true } })),
		],
		connections: {
			Start: { main: [[{ node: 'List SKUs', type: 'main', index: 0 }, { node: 'Sheet', type: 'main', index: 0 }]] },
			Sheet: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Validate', type: 'main', index: 0 }]] },
		},
	};
}

/** Runs the checks; `begin` and `check` are test:n8n's reporting. */
async function checkWholeSkuList({ n8n, sandbox, tmp, packageName, credentials, begin, check }) {
	begin('A HelloTech that sends its whole SKU catalogue at once (limit and cursor ignored)');
	const file = path.join(tmp, `workflow-${WORKFLOW_ID}.json`);
	fs.writeFileSync(file, JSON.stringify(workflow(packageName, credentials), null, 2));
	const imported = await n8n.import('workflow', file);
	if (!check('n8n import:workflow took it', imported.ok, imported.output.slice(-1500))) return;
	await sandbox.control.reset({ skuPaging: 'whole' });
	try {
		const run = await n8n.execute(WORKFLOW_ID);
		const { runData, error } = run.execution?.data?.resultData ?? {};
		if (!check('n8n execute printed an execution that succeeded', run.code === 0 && runData && !error, error?.message ?? run.output.slice(-1500))) return;
		const out = (name) => (runData[name]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);

		const skus = out('List SKUs').map((sku) => sku.id);
		check('SKU → Get Many (Return All) gives every SKU of the catalogue once', JSON.stringify(skus) === JSON.stringify(DEFAULT_SKUS.map((sku) => sku.id)), JSON.stringify(skus));

		const checked = out('Validate').map(({ valid, problems }) => ({ valid, problems }));
		const expected = [
			{ valid: true, problems: [] },
			{ valid: false, problems: [{ field: 'SKU Names or IDs', message: "SKU 99999 is not in HelloTech's catalogue" }] },
		];
		check('Validate Only: the good row is valid, the unknown SKU named', JSON.stringify(checked) === JSON.stringify(expected), JSON.stringify(checked));

		const state = await sandbox.control.state();
		const listed = state.log.filter((entry) => entry.path === '/api/partners/skus');
		check(
			'the sandbox answered the SKU list whole, also where a cursor was sent, and nothing was created',
			listed.some((entry) => entry.query.cursor !== undefined) && state.orders.length === 0,
			`${listed.length} SKU list requests; ${state.orders.length} orders`,
		);
	} finally {
		await sandbox.control.reset();
	}
}

module.exports = { checkWholeSkuList };
