'use strict';
// The variants matrix: every operation, the pickers, Validate Only, Check Availability First, the
// AI tool and the trigger, through n8n's engine against the sandbox, under each way HelloTech may
// do what it does not publish (api.ts' ASSUMED parts: how lists page, the count's answer, Check
// ZIP for an unknown ZIP, the rate limiter and its 429). A new guess about the API is one more row
// of VARIANTS. Each scenario starts from a fresh sandbox in the row's configuration; what it checks
// is the outcome (the right records, each once), never how long anything took.
const fs = require('fs');
const path = require('path');

const { sandbox, run, jsons, credentials } = require('./helpers');
const { loadOptions, runTools, HELLOTECH_TOOL_TYPE } = require('./harness/engine');
const { activate } = require('./trigger-helpers');
const { DEFAULT_SKUS } = require('./sandbox/state');
const { orderFromRow, row } = require('./fixtures');

const refused = (log) => log.some((entry) => entry.status === 429);
const pageParam = (log) => log.some((entry) => entry.query?.page !== undefined);
const listedWhole = (log) => log.some((entry) => entry.path === '/api/partners/skus' && entry.query?.cursor !== undefined);

/**
 * Each row: a variant's sandbox options (`options`) and faults (`faults`: a rate limiter), and what
 * the sandbox's log must show over the row's scenarios for the row to have tried its variant
 * (`shows`). Pages of 7 make every list take several.
 */
const VARIANTS = [
	['the published guess: cursor by the last id, no next cursor named', {}],
	['pages capped at 7, below the 100 asked for', { options: { maxPageSize: 7 } }],
	['a named next_cursor, pages of 7', { options: { paginationStyle: 'next_cursor', maxPageSize: 7 } }],
	['meta.next_cursor and a total, pages of 7', { options: { paginationStyle: 'meta', includeTotal: true, maxPageSize: 7 } }],
	['the cursor an ID threshold, whatever the order', { options: { cursorStyle: 'id', maxPageSize: 7 } }],
	['a cursor that counts its own record in: pages overlap by one', { options: { cursorInclusive: true, maxPageSize: 7 } }],
	['no paging: each list whole in one answer, limit and cursor ignored', { options: { orderPaging: 'whole', skuPaging: 'whole' }, shows: listedWhole }],
	['the SKU catalogue whole, the orders by cursor', { options: { skuPaging: 'whole', maxPageSize: 7 }, shows: listedWhole }],
	['paging by page number, 7 a page, the cursor ignored', { options: { orderPaging: 'page', skuPaging: 'page', maxPageSize: 7 }, shows: pageParam }],
	['paging by page number, as many as asked, the cursor ignored', { options: { orderPaging: 'page', skuPaging: 'page', maxPageSize: 500 }, shows: pageParam }],
	['the count as a map per tag', { options: { countStyle: 'map' } }],
	['the count as a numeric text', { options: { countStyle: 'string' } }],
	['the count as a list of { tag, count }', { options: { countStyle: 'list' } }],
	['no count endpoint (404)', { options: { countStyle: 'none' } }],
	['Check ZIP answering 404 for a ZIP it does not know', { options: { unknownZipAnswer: '404' } }],
	['429 from fixed one-second windows, with Retry-After', { faults: { rateLimit: { kind: 'fixed', limit: 8, windowMs: 1000 } }, shows: refused }],
	['429 from a sliding window, with Retry-After', { faults: { rateLimit: { kind: 'sliding', limit: 8, windowMs: 1000 } }, shows: refused }],
	['429 from a token bucket, with Retry-After', { faults: { rateLimit: { kind: 'bucket', rate: 8, burst: 8 } }, shows: refused }],
	[
		"429 as rack-attack sends it by default: no Retry-After, a plain-text body",
		{ faults: { rateLimit: { kind: 'fixed', limit: 8, windowMs: 1000 }, rateLimitAnswer: 'plain' }, shows: refused },
	],
];

/** The catalogue: the six default SKUs and ten more, offered in ZIPs starting with 9. */
const CATALOGUE = [
	...DEFAULT_SKUS,
	...Array.from({ length: 10 }, (_, i) => ({ id: 20001 + i, name: `Service ${i + 1}`, category: 'More', price: 50, zipPrefixes: ['9'] })),
];
const SKU_IDS = CATALOGUE.map((sku) => sku.id);
const HOUR_MS = 3_600_000;

/** 20 orders over the last 20 hours, tagged a, a+b, b, c in turn, their appointments in another order than their creation. */
const ORDERS = Array.from({ length: 20 }, (_, i) => ({
	tags: [['a'], ['a', 'b'], ['b'], ['c']][i % 4],
	appointmentMs: Date.UTC(2031, 0, 1) + ((i * 7) % 20) * HOUR_MS,
	purchase_order_id: `SEED-${i}`,
}));

let variant;
let seeded;

async function setUp() {
	await sandbox.reset({ ...variant.options, skus: CATALOGUE });
	seeded = (await sandbox.seedOrders({ orders: ORDERS, spacingMs: HOUR_MS })).ids;
	if (variant.faults) await sandbox.faults(variant.faults);
}

const ids = (result) => jsons(result).map((record) => record.id);
const picker = (method, options = {}) => loadOptions(method, { credentials: credentials(), typeVersion: 2, ...options });

/** Every load of a picker until n8n would stop asking (no token): the values, in order. */
async function everyLoad(method, filter) {
	const values = [];
	let paginationToken;
	for (let load = 0; load < 20; load++) {
		const answer = await picker(method, { filter, paginationToken });
		values.push(...answer.results.map((result) => result.value));
		paginationToken = answer.paginationToken;
		if (paginationToken === undefined) return values;
	}
	throw new Error(`${method} still handed a token after 20 loads`);
}

const LA = '719 Flower St, Los Angeles, CA 90017';
const NY = '350 5th Ave, New York, NY 10118';
const checked = (options) => orderFromRow({ requestOptions: options });
const customer = (po, fields = {}) => ({ ...row(0), po, last: po, email: `${po.toLowerCase()}@example.com`, address: LA, ...fields });
const kept = 'Check Availability First kept this order from HelloTech: nothing was created for this item.';

const SCENARIOS = [
	[
		'Order → Create: each row an order, once',
		async () => {
			const rows = [row(1), row(2), row(3)];
			const result = await run(orderFromRow(), { items: rows });
			expect(result.error).toBeUndefined();
			expect(jsons(result).map((order) => order.purchase_order_id)).toEqual(['PO-1', 'PO-2', 'PO-3']);
			const { orders } = await sandbox.state();
			expect(orders.filter((order) => /^PO-/.test(order.purchase_order_id)).map((order) => order.purchase_order_id).sort()).toEqual(['PO-1', 'PO-2', 'PO-3']);
		},
	],
	[
		'Order → Get',
		async () => {
			const result = await run({ resource: 'order', operation: 'get', orderId: String(seeded[5]) });
			expect(ids(result)).toEqual([seeded[5]]);
		},
	],
	[
		'Order → Get Many: Return All and Limit, by creation and by appointment',
		async () => {
			const all = await run({ resource: 'order', operation: 'getAll', returnAll: true, filters: { sort: 'ASC' } });
			expect(ids(all)).toEqual(seeded);
			const newest = await run({ resource: 'order', operation: 'getAll', limit: 9 });
			expect(ids(newest)).toEqual([...seeded].reverse().slice(0, 9));
			const byAppointment = await run({ resource: 'order', operation: 'getAll', returnAll: true, filters: { orderBy: 'appointment', sort: 'ASC' } });
			const when = new Map(seeded.map((id, i) => [id, ORDERS[i].appointmentMs]));
			expect(ids(byAppointment)).toEqual([...seeded].sort((x, y) => when.get(x) - when.get(y)));
			const tagged = await run({ resource: 'order', operation: 'getAll', returnAll: true, filters: { tags: 'c', sort: 'ASC' } });
			expect(ids(tagged)).toEqual(seeded.filter((_, i) => i % 4 === 3));
		},
	],
	[
		'Order → Count by Tag',
		async () => {
			const result = await run({ resource: 'order', operation: 'countByTag', tags: 'a, b, z' });
			expect(result.error).toBeUndefined();
			const [answer] = jsons(result);
			expect(answer.tags).toEqual(['a', 'b', 'z']);
			expect(answer.counts).toEqual({ a: 10, b: 10, z: 0 });
			// A total, where HelloTech gives one: the orders with any of the tags.
			if (answer.count !== undefined) expect(answer.count).toBe(15);
		},
	],
	[
		'Client → Create, Get, Update, Create Setup Intent, Create Ephemeral Key',
		async () => {
			const created = await run({ resource: 'client', operation: 'create', email: 'sam@example.com', additionalFields: { firstName: 'Sam' } });
			const [{ id }] = jsons(created);
			const got = await run({ resource: 'client', operation: 'get', clientId: String(id) });
			expect(jsons(got)).toEqual([expect.objectContaining({ id, email: 'sam@example.com', first_name: 'Sam' })]);
			const updated = await run({ resource: 'client', operation: 'update', clientId: String(id), email: 'sam@example.com', updateFields: { lastName: 'Reed' } });
			expect(jsons(updated)).toEqual([expect.objectContaining({ id, last_name: 'Reed' })]);
			const intent = await run({ resource: 'client', operation: 'createSetupIntent', clientId: String(id) });
			const key = await run({ resource: 'client', operation: 'createEphemeralKey', clientId: String(id) });
			expect([jsons(intent)[0].client_secret, jsons(key)[0].ephemeral_key]).toEqual((await sandbox.state()).issuedSecrets);
			expect((await sandbox.state()).clients).toHaveLength(1);
		},
	],
	[
		'SKU → Get Many: Return All and Limit',
		async () => {
			const all = await run({ resource: 'sku', operation: 'getAll', returnAll: true });
			expect(all.error).toBeUndefined();
			expect(ids(all)).toEqual(SKU_IDS);
			const some = await run({ resource: 'sku', operation: 'getAll', limit: 9 });
			expect(ids(some)).toEqual(SKU_IDS.slice(0, 9));
		},
	],
	[
		// 17 requests at once: more than twice the rate limits' 8 a second, so one second holds more than 8 of them.
		'SKU → Check ZIP, 17 items at once (Max Concurrent Requests 17: a burst past the rate limits below)',
		async () => {
			const zips = Array.from({ length: 17 }, (_, i) => String(90001 + i));
			const parameters = { resource: 'sku', operation: 'checkZip', sku: { __rl: true, mode: 'id', value: '10642' }, zip: '={{ $json.zip }}' };
			const result = await run({ ...parameters, requestOptions: { maxConcurrent: 17 } }, { typeVersion: 2, items: zips.map((zip) => ({ zip })) });
			expect(result.error).toBeUndefined();
			expect(jsons(result).map(({ zip, available }) => [zip, available])).toEqual(zips.map((zip) => [zip, true]));
		},
	],
	[
		"the SKU pickers: version 1's list, and each SKU once over the loads n8n asks for",
		async () => {
			expect((await picker('getSkus', { typeVersion: 1 })).map((option) => option.value).sort()).toEqual(SKU_IDS);
			expect(await everyLoad('searchSkus')).toEqual(SKU_IDS.map(String));
			expect(await everyLoad('searchSkus', 'service')).toEqual(SKU_IDS.filter((id) => id > 20000).map(String));
		},
	],
	[
		'the Order ID picker: each order once over the loads, newest first; a search',
		async () => {
			expect(await everyLoad('searchOrders')).toEqual([...seeded].reverse().map(String));
			expect(await everyLoad('searchOrders', 'SEED-1')).toEqual(seeded.filter((_, i) => /^1/.test(String(i))).reverse().map(String));
		},
	],
	[
		'Validate Only: the whole catalogue read, each problem named',
		async () => {
			const rows = [
				customer('OK', { skus: `10639, ${SKU_IDS.at(-1)}`, address: '1 Main St, San Diego, CA 92101' }),
				customer('UNKNOWN-SKU', { skus: '99999' }),
				customer('NOT-OFFERED', { address: NY, skus: '10641, 10642' }),
				customer('UNKNOWN-ZIP', { address: '1 Nowhere Rd, Atlantis, ZZ 00042' }),
			];
			const result = await run(checked({ validateOnly: true }), { items: rows });
			expect(result.error).toBeUndefined();
			expect(jsons(result).map(({ valid, problems }) => ({ valid, problems }))).toEqual([
				{ valid: true, problems: [] },
				{ valid: false, problems: [{ field: 'SKU Names or IDs', message: "SKU 99999 is not in HelloTech's catalogue" }] },
				{ valid: false, problems: [{ field: 'SKU Names or IDs', message: 'SKU 10642 (Smart Thermostat Installation) is not offered at ZIP 10118 (Sandbox Metro 101)' }] },
				{ valid: false, problems: [{ field: 'Address', message: 'ZIP 00042 is in no HelloTech service area: no service can be booked there' }] },
			]);
			expect((await sandbox.state()).orders).toHaveLength(seeded.length);
		},
	],
	[
		'Check Availability First: only what is offered is created, the rest named',
		async () => {
			const rows = [customer('OFFERED'), customer('NOT-OFFERED', { address: NY, skus: '10642' }), customer('UNKNOWN-SKU', { skus: '99999' })];
			const result = await run(checked({ checkAvailability: true }), { items: rows, continueOnFail: true });
			expect(result.error).toBeUndefined();
			expect(jsons(result).slice(1)).toEqual([
				{ error: 'SKU Names or IDs: SKU 10642 is not offered at ZIP 10118 (Sandbox Metro 101) [item 1]', description: kept },
				{ error: "SKU Names or IDs: SKU 99999 is not in HelloTech's catalogue [item 2]", description: kept },
			]);
			expect((await sandbox.state()).orders.map((order) => order.purchase_order_id).filter((po) => !/^SEED/.test(po))).toEqual(['OFFERED']);
		},
	],
	[
		'the AI Agent tools of examples/ai-agent.json',
		async () => {
			const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'examples', 'ai-agent.json'), 'utf8'));
			const tools = workflow.nodes.filter((node) => node.type === HELLOTECH_TOOL_TYPE);
			const { calls } = await runTools(tools, {
				credentials: credentials(),
				calls: [
					{ tool: 'Get_order', args: { Order_ID: String(seeded[3]) } },
					{ tool: 'Find_orders', args: { Limit: 5, Statuses: 'PENDING', From: '' } },
					{ tool: 'List_services', args: {} },
					{ tool: 'Check_service_at_ZIP', args: { SKU_ID: '10642', ZIP_Code: '90017' } },
				],
			});
			expect(calls.map((call) => call.error)).toEqual([undefined, undefined, undefined, undefined]);
			const [order, found, services, zip] = calls.map((call) => call.answer);
			expect(order.map((entry) => entry.id)).toEqual([seeded[3]]);
			expect(found.map((entry) => entry.id)).toEqual([...seeded].reverse().slice(0, 5));
			expect(services.map((sku) => sku.id)).toEqual(SKU_IDS);
			expect(zip).toEqual([expect.objectContaining({ sku_id: 10642, available: true })]);
		},
	],
	[
		'HelloTech Trigger, New Order: each new order once',
		async () => {
			const trigger = activate({ event: 'newOrder' });
			expect((await trigger.poll()).error).toBeUndefined();
			const { ids: added } = await sandbox.seedOrders({ count: 3, spacingMs: 1000 });
			const next = await trigger.poll();
			expect(next.error).toBeUndefined();
			expect(next.items.map((item) => item.json.id)).toEqual(added);
			expect((await trigger.poll()).items).toBeNull();
		},
	],
	[
		'HelloTech Trigger, Order Status Changed: each change once',
		async () => {
			const trigger = activate({ event: 'statusChanged' });
			expect((await trigger.poll()).error).toBeUndefined();
			await sandbox.setOrderStatus(seeded[2], 2);
			await sandbox.setOrderStatus(seeded[17], 4);
			const next = await trigger.poll();
			expect(next.error).toBeUndefined();
			expect(next.items.map((item) => [item.json.id, item.json.previous_status_code, item.json.status_code])).toEqual([
				[seeded[2], 0, 2],
				[seeded[17], 0, 4],
			]);
			expect((await trigger.poll()).items).toBeNull();
		},
	],
];

/** Every request HelloTech refused with a Retry-After was sent again no sooner than it asked (sandbox clock). */
function expectRetryAfterHonoured(log) {
	const early = [];
	log.forEach((entry, index) => {
		if (entry.status !== 429 || entry.retryAfter === undefined) return;
		const same = (other) => other.method === entry.method && other.path === entry.path && JSON.stringify([other.query, other.body]) === JSON.stringify([entry.query, entry.body]);
		const again = log.slice(index + 1).find(same);
		if (again && again.at < entry.refusedAt + entry.retryAfter * 1000) early.push({ path: entry.path, after: again.at - entry.refusedAt, asked: entry.retryAfter });
	});
	expect(early).toEqual([]);
}

describe.each(VARIANTS)('%s', (_, config) => {
	const logs = [];
	beforeAll(() => {
		variant = config;
	});
	beforeEach(setUp);

	test.each(SCENARIOS)('%s', async (__, scenario) => {
		await scenario();
		const { log, orders } = await sandbox.state();
		logs.push(...log);
		// Nothing twice: no purchase order booked more than once, and every 429 waited out as asked.
		const pos = orders.map((order) => order.purchase_order_id).filter(Boolean);
		expect(pos.length).toBe(new Set(pos).size);
		expectRetryAfterHonoured(log);
	});

	if (config.shows) {
		test('HelloTech answered as the variant does', () => {
			expect(config.shows(logs)).toBe(true);
		});
	}
});
