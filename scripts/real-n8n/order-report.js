'use strict';
/**
 * examples/scheduled-order-report.json in test:n8n, run three times: as shipped (yesterday, all
 * orders), weekly for two tags and two recipients, and on a day without orders. The sandbox holds a realistic stretch of orders
 * (test/sandbox/seed-report-day.js); n8n's Send Email node delivers to a local SMTP server
 * (smtp.js), and the checks read the message that arrived: addresses, subject, the figures, the
 * needs-attention list, the CSV attached. Every expectation is worked out here from the
 * sandbox's orders, with this file's own reading of the periods, labels and formats the README
 * describes, never taken from the workflow's output.
 *
 * `npm run screenshots` seeds and runs the daily variant the same way (prepare, seed) for the
 * pictures of its email (scripts/screenshots/pictures.js).
 */
const fs = require('fs');
const path = require('path');

const { parseCsv } = require('./csv');
const { nodeNamed, setField, outputOf } = require('./workflow-edit');
const { reportOrders } = require('../../test/sandbox/seed-report-day');

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WAITING = [0, 1]; // Pending, Searching
const UNSERVICEABLE = [9];
const CANCELLED = [4, 7]; // Cancelled, Cancelled By Geek

const VARIANTS = {
	day: { id: 'HtExampleReport1', label: 'as shipped: yesterday, all orders', settings: {} },
	week: {
		id: 'HtExampleReport2',
		label: 'a week, two tags, two recipients',
		settings: { period: 'week', tags: 'store-42, holiday-tv', recipients: 'ops@example.com, store42.lead@example.com' },
	},
	quiet: { id: 'HtExampleReport3', label: 'a day without orders', settings: {} },
};

// ---- this file's own reading of the report's formats -------------------------------------------

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const parts = (ms) => {
	const date = new Date(ms);
	return { weekday: WEEKDAYS[date.getUTCDay()], day: date.getUTCDate(), month: MONTHS[date.getUTCMonth()], year: date.getUTCFullYear(), iso: date.toISOString() };
};
/** A period's label (n8n runs in UTC here): "Sunday 6 December 2026" / "Sun 6 Dec 2026", "30 Nov – 6 Dec 2026". */
function periodLabel(start, days, long) {
	const first = parts(start);
	if (days === 1) return long ? `${first.weekday} ${first.day} ${first.month} ${first.year}` : `${first.weekday.slice(0, 3)} ${first.day} ${first.month.slice(0, 3)} ${first.year}`;
	const last = parts(start + (days - 1) * DAY_MS);
	return `${first.day} ${first.month.slice(0, 3)}${first.year === last.year ? '' : ` ${first.year}`} – ${last.day} ${last.month.slice(0, 3)} ${last.year}`;
}
const isoDay = (ms) => parts(ms).iso.slice(0, 10);
const csvTime = (ms) => parts(ms).iso.slice(0, 16).replace('T', ' ');
const bookedCell = (ms) => {
	const { weekday, day, month, iso } = parts(ms);
	return `${weekday.slice(0, 3)} ${day} ${month.slice(0, 3)}, ${iso.slice(11, 16)}`;
};
/** "+25 (+9%)", "−3 (−20%)", "±0", "+4" (nothing before): the change, and its share of the previous count. */
function change(now, before) {
	const difference = now - before;
	const sign = difference > 0 ? '+' : difference < 0 ? '−' : '±';
	const percent = before > 0 && difference !== 0 ? ` (${sign}${Math.round((Math.abs(difference) / before) * 100)}%)` : '';
	return `${sign}${Math.abs(difference).toLocaleString('en-US')}${percent}`;
}
const count = (number) => number.toLocaleString('en-US');
/** What a spreadsheet shows of a CSV cell the report wrote: a leading = + - @ is kept text by an apostrophe. */
const asCsvCell = (value) => {
	const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
	return /^[=+\-@]/.test(text) ? `'${text}` : text;
};

// ---- reading the HTML email as a person reads it: the tables' cells ----------------------------

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ' };
const decode = (text) => text.replace(/&(#\d+|[a-z]+);/g, (whole, name) => (name[0] === '#' ? String.fromCharCode(Number(name.slice(1))) : ENTITIES[name] ?? whole));
const cellText = (html) => decode(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
/** The data rows of the table with this id: each a list of { text, html } cells (header rows left out); undefined without that table. */
function tableRows(html, id) {
	const at = html.indexOf(`<table id="${id}"`);
	if (at < 0) return undefined;
	const table = html.slice(at, html.indexOf('</table>', at));
	return [...table.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)]
		.map((row) => [...row[1].matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => ({ text: cellText(cell[1]), html: cell[1] })))
		.filter((cells) => cells.length > 0);
}
const hrefOf = (html) => {
	const match = /href="([^"]*)"/.exec(html);
	return match ? decode(match[1]) : null;
};
const show = (value) => JSON.stringify(value);

// ------------------------------------------------------------------------------------------------

const orderReport = (variant) => ({
	file: 'scheduled-order-report.json',
	id: VARIANTS[variant].id,
	label: VARIANTS[variant].label,
	helloTechNodes: ['Orders of both periods', 'Orders still waiting'],
	trigger: 'Every morning at 7',

	prepare(workflow, { smtp, tmp }) {
		for (const [field, value] of Object.entries(VARIANTS[variant].settings)) setField(workflow, 'Settings', field, value);
		nodeNamed(workflow, 'Send the report').credentials = { smtp: { id: smtp.credentialId, name: 'Local SMTP' } };
		const settings = Object.fromEntries(nodeNamed(workflow, 'Settings').parameters.assignments.assignments.map((entry) => [entry.name, entry.value]));
		this.settings = settings;
		this.smtp = smtp;
		this.emlFile = path.join(tmp, `report-${variant}.eml`);
	},

	/**
	 * Sixteen days of orders up to now, the sandbox paging by 50 and naming its next cursor; for a
	 * quiet day, only a few completed orders ten days ago.
	 */
	async seed(sandbox) {
		await sandbox.reset({ maxPageSize: 50, paginationStyle: 'next_cursor' });
		const now = Date.now();
		this.clearOfMs = 2 * HOUR_MS;
		if (variant === 'quiet') {
			const longAgo = Math.floor(now / DAY_MS) * DAY_MS - 10 * DAY_MS + 10 * HOUR_MS;
			await sandbox.seedOrders([3, 5, 3].map((statusCode, index) => ({ createdAtMs: longAgo + index * HOUR_MS, statusCode, purchase_order_id: `PO-OLD-${index}` })));
		} else {
			await sandbox.seedOrders(reportOrders({ now, stuckAfterHours: Number(this.settings.stuck_after_hours), clearOfMs: this.clearOfMs }));
		}
		this.smtp.messages.length = 0;
		this.ranAround = [now];
	},

	async verify({ execution, sandbox, check }) {
		this.ranAround.push(Date.now());
		const { settings, smtp } = this;
		const state = await sandbox.state();
		const tags = settings.tags.split(',').map((tag) => tag.trim()).filter(Boolean);
		const recipients = settings.recipients.split(',').map((address) => address.trim());
		const days = settings.period === 'week' ? 7 : 1;

		// The period: the days before the day the run started or ended (UTC).
		const periods = [...new Set(this.ranAround.map((ms) => Math.floor(ms / DAY_MS) * DAY_MS - days * DAY_MS))].map((start) => ({
			start,
			end: start + days * DAY_MS,
			file: `hellotech-orders-${days === 1 ? isoDay(start) : `${isoDay(start)}-to-${isoDay(start + (days - 1) * DAY_MS)}`}.csv`,
		}));
		check(
			'the run took less than the margin the seed leaves around the stuck threshold',
			this.ranAround[1] - this.ranAround[0] < this.clearOfMs,
			`${Math.round((this.ranAround[1] - this.ranAround[0]) / 1000)} s`,
		);

		const messages = smtp.messages;
		if (!check('one email arrived at the SMTP server', messages.length === 1, `${messages.length} arrived`)) return;
		fs.writeFileSync(this.emlFile, messages[0].raw); // kept with n8n's folder when a check fails
		const message = await smtp.parse(messages[0]);
		const attachments = message.attachments.filter((attachment) => attachment.contentDisposition === 'attachment');
		const period = periods.find((candidate) => attachments.some((attachment) => attachment.filename === candidate.file));
		if (!check(`the email attaches the period's orders as ${periods.map((candidate) => candidate.file).join(' or ')}`, period && attachments.length === 1, show(message.attachments.map((attachment) => [attachment.filename, attachment.contentDisposition])))) return;
		const { start, end } = period;
		const now = this.ranAround[1];

		// ---- what the email must say, from the sandbox's orders -----------------------------------
		const orders = state.orders
			.map((order) => ({ ...order, at: Date.parse(order.created_at.iso) }))
			.filter((order) => tags.length === 0 || order.tags.some((tag) => tags.includes(tag)))
			.sort((a, b) => a.at - b.at || a.id - b.id);
		const between = (from, to) => orders.filter((order) => order.at >= from && order.at < to);
		const current = between(start, end);
		const previous = between(start - days * DAY_MS, start);
		const stuck = orders.filter(
			(order) => WAITING.includes(order.status_code) && order.at >= end - Number(settings.look_back_days) * DAY_MS && order.at <= now - Number(settings.stuck_after_hours) * HOUR_MS,
		);
		const unserviceable = current.filter((order) => UNSERVICEABLE.includes(order.status_code));
		const cancelled = current.filter((order) => CANCELLED.includes(order.status_code));
		const attention = [...stuck, ...unserviceable, ...cancelled];
		const tally = (list, keysOf) => {
			const counts = {};
			for (const order of list) for (const key of keysOf(order)) counts[key] = (counts[key] ?? 0) + 1;
			return counts;
		};
		const tagsOf = (order) => (tags.length ? order.tags.filter((tag) => tags.includes(tag)) : order.tags.length ? order.tags : ['(no tag)']);
		const expectedRows = (keysOf, names) => {
			const inPeriod = tally(current, keysOf);
			const before = tally(previous, keysOf);
			return Object.fromEntries((names ?? [...new Set([...Object.keys(inPeriod), ...Object.keys(before)])]).map((name) => [name, [inPeriod[name] ?? 0, before[name] ?? 0]]));
		};
		const byStatus = expectedRows((order) => [order.status_label]);
		const byTag = expectedRows(tagsOf, tags.length ? tags : undefined);

		const quiet = variant === 'quiet';
		if (quiet) {
			check(
				'the sandbox holds no order of either period, and none waiting',
				state.orders.length > 0 && current.length + previous.length + attention.length === 0,
				`${current.length} + ${previous.length} orders, ${attention.length} to list`,
			);
		} else {
			check(
				'the sandbox holds a period worth reporting: many orders, statuses and tags, some stuck, unserviceable and cancelled',
				current.length >= (days === 1 ? 200 : 150) && Object.keys(byStatus).length >= 6 && Object.keys(byTag).length >= 2 && stuck.length >= 2 && unserviceable.length >= 1 && cancelled.length >= 1,
				`${current.length} orders, ${stuck.length} stuck, ${unserviceable.length} unserviceable, ${cancelled.length} cancelled; by status ${show(byStatus)}; by tag ${show(byTag)}`,
			);
		}

		// ---- HelloTech: lists only, each order once ----------------------------------------------
		const fetched = orders.filter((order) => order.at >= start - (days + 1) * DAY_MS && order.at < end + DAY_MS).map((order) => order.id);
		// (Always Output Data: an empty item when there is no order.)
		const listed = outputOf(execution, 'Orders of both periods').map((item) => item.json.id).filter((id) => id !== undefined);
		check(
			`Orders of both periods listed the ${fetched.length} orders of the two periods and a day either side, each once, across pages`,
			show([...listed].sort()) === show([...fetched].sort()) && (quiet || fetched.length > 50),
			`listed ${listed.length} (${new Set(listed).size} different), expected ${fetched.length}`,
		);
		const writes = state.log.filter((entry) => entry.method !== 'GET' || entry.path !== '/api/partners/orders');
		check('the workflow only read order lists from HelloTech', state.log.length > 0 && writes.length === 0, show(writes.slice(0, 3)));

		// ---- the message: addresses and subject --------------------------------------------------
		const senderAddress = /<([^>]+)>/.exec(settings.sender)?.[1] ?? settings.sender;
		check(
			`n8n logged in to the SMTP server and sent from ${senderAddress} to ${recipients.join(', ')}`,
			messages[0].user === smtp.user && messages[0].from === senderAddress && show([...messages[0].to].sort()) === show([...recipients].sort()),
			show({ user: messages[0].user, from: messages[0].from, to: messages[0].to }),
		);
		const subject = `HelloTech orders ${periodLabel(start, days, false)}${tags.length ? ` (${tags.join(', ')})` : ''}: ${count(current.length)} booked, ${attention.length ? `${attention.length} need${attention.length === 1 ? 's' : ''} attention` : 'nothing needs attention'}`;
		check(`the subject reads "${subject}"`, message.subject === subject, `subject: ${show(message.subject)}`);
		const html = message.html || '';
		check('the email has an HTML body and a plain-text one', html.length > 1000 && (message.text ?? '').length > 100, `html ${html.length} characters, text ${(message.text ?? '').length}`);
		check(
			`it names the period and what it is compared with (${periodLabel(start, days, true)}, ${periodLabel(start - days * DAY_MS, days, true)})`,
			html.includes(`>${periodLabel(start, days, true)}</h1>`) && html.includes(`compared with ${periodLabel(start - days * DAY_MS, days, true)}`),
			cellText(html).slice(0, 300),
		);

		// ---- the figures -------------------------------------------------------------------------
		const tiles = (tableRows(html, 'totals') ?? [[]])[0].map((cell) => cell.text).filter(Boolean); // the gaps between tiles are empty
		const expectedTiles = [
			`${count(current.length)} orders booked ${change(current.length, previous.length)} vs ${count(previous.length)}`,
			`${stuck.length} stuck`,
			`${unserviceable.length} unserviceable`,
			`${cancelled.length} cancelled`,
		];
		check(
			`the totals: ${expectedTiles.map((tile) => `"${tile}"`).join(', ')}`,
			tiles.length === 4 && expectedTiles.every((tile, index) => tiles[index].startsWith(tile)),
			show(tiles),
		);
		const countTable = (id, expected, ordered) => {
			const rows = tableRows(html, id)?.filter((cells) => cells.length >= 4); // not "No orders in either period." 
			const got = Object.fromEntries((rows ?? []).map((cells) => [cells[0].text, [Number(cells[1].text.replace(/,/g, '')), Number(cells[2].text.replace(/,/g, ''))]]));
			const changes = (rows ?? []).every((cells) => cells[3].text === change(...(expected[cells[0].text] ?? [NaN, NaN])));
			const names = (rows ?? []).map((cells) => cells[0].text);
			const order = ordered ? show(names) === show(Object.keys(expected)) : names.every((name, index) => index === 0 || got[names[index - 1]][0] >= got[name][0]);
			return { pass: rows !== undefined && show(Object.entries(got).sort()) === show(Object.entries(expected).sort()) && changes && order, got: rows?.map((cells) => cells.slice(0, 4).map((cell) => cell.text)) };
		};
		const statuses = countTable('by-status', byStatus, false);
		check(`by status, this period and the previous one, with the change, most first: ${show(byStatus)}`, statuses.pass, show(statuses.got));
		const tagTable = countTable('by-tag', byTag, tags.length > 0);
		check(
			`by tag${tags.length ? `, the tags of Settings in their order (${tags.join(', ')})` : ', every tag seen and "(no tag)", most first'}: ${show(byTag)}`,
			tagTable.pass,
			show(tagTable.got),
		);

		// ---- needs attention ---------------------------------------------------------------------
		// Its rows (group headings left out): purchase order over the booking time, customer over the
		// services, why, the link.
		const divs = (cell) => [...(cell?.html ?? '').matchAll(/<div\b[^>]*>([\s\S]*?)<\/div>/g)].map((div) => cellText(div[1]));
		const listedAttention = (tableRows(html, 'needs-attention') ?? [])
			.filter((cells) => cells.length === 4)
			.map((cells) => ({ po: divs(cells[0])[0], booked: divs(cells[0])[1], customer: divs(cells[1])[0], services: divs(cells[1])[1], why: cells[2].text, link: hrefOf(cells[3].html) }));
		check(
			`needs attention lists ${attention.length} orders: ${stuck.length} still waiting (oldest first), then ${unserviceable.length} unserviceable and ${cancelled.length} cancelled`,
			show(listedAttention.map((row) => row.po)) === show(attention.map((order) => order.purchase_order_id ?? 'no purchase order ID')),
			`listed ${show(listedAttention.map((row) => row.po))}\n      expected ${show(attention.map((order) => order.purchase_order_id ?? 'no purchase order ID'))}`,
		);
		const wrong = attention
			.map((order, index) => {
				const row = listedAttention[index] ?? {};
				const why = stuck.includes(order) ? row.why?.startsWith(`${order.status_label} · `) : row.why === order.status_label;
				const same = why && row.customer === order.client_name && row.booked === `booked ${bookedCell(order.at)}` && row.services === order.service_description && row.link === order.order_summary_url;
				return same ? undefined : { expected: { status: order.status_label, customer: order.client_name, booked: bookedCell(order.at), link: order.order_summary_url }, got: row };
			})
			.filter(Boolean);
		if (quiet) check('needs attention says there is nothing', /<p id="needs-attention"[^>]*>Nothing/.test(html), cellText(html).slice(0, 600));
		else check("each needs-attention row gives why, the customer, when it was booked, the services and the order's link", attention.length > 0 && wrong.length === 0, show(wrong.slice(0, 2)));
		const text = message.text ?? '';
		check(
			'the plain-text body gives the total and every needs-attention order with its link',
			text.includes(`${count(current.length)} orders booked, ${change(current.length, previous.length)}`) && attention.every((order) => text.includes(order.order_summary_url)),
			text.slice(0, 400),
		);

		// ---- the CSV -----------------------------------------------------------------------------
		const [csv] = attachments;
		const raw = csv.content;
		const body = raw.toString('utf8');
		check('the CSV is text/csv, UTF-8 with a byte order mark (Excel reads accents right)', csv.contentType === 'text/csv' && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf, `${csv.contentType}, starts ${raw.subarray(0, 3).toString('hex')}`);
		check('its lines end with CRLF', body.endsWith('\r\n') && !/[^\r]\n/.test(body.replace(/"[^"]*"/g, '')), show(body.slice(0, 200)));
		const rows = parseCsv(body);
		const header = ['Order ID', 'Purchase order ID', 'Status', 'Booked (UTC)', 'Appointment (UTC)', 'Customer', 'Email', 'Address', 'Services', 'Tags', 'Order link'];
		const headings = body.replace(/^\uFEFF/, '').split('\r\n')[0].split(',');
		check(`its columns: ${header.join(', ')}`, show(headings) === show(header), show(headings));
		const expectedCsv = current.map((order) =>
			[
				order.id,
				order.purchase_order_id,
				order.status_label,
				csvTime(order.at),
				order.appointment_start_date_time ? csvTime(Date.parse(order.appointment_start_date_time)) : '',
				order.client_name,
				order.email,
				order.address,
				order.service_description,
				order.tags,
				order.order_summary_url,
			].map(asCsvCell),
		);
		const gotCsv = rows.map((row) => header.map((column) => row[column]));
		const differing = expectedCsv.map((expected, index) => [expected, gotCsv[index]]).filter(([expected, got]) => show(expected) !== show(got));
		check(
			`one row per order of the period (${current.length}), oldest first, each with the order's fields`,
			gotCsv.length === expectedCsv.length && differing.length === 0,
			`${gotCsv.length} rows; first difference: expected ${show(differing[0]?.[0])}\n      got      ${show(differing[0]?.[1])}`,
		);
		if (variant === 'day') {
			const tricky = ['Robert Smith, Jr.', 'Li "Lily" Chen', 'José Núñez', "Siobhán O'Connor", "'@Home Realty"];
			const customers = new Set(rows.map((row) => row.Customer));
			check(
				`names with a comma, quotes, accents and a leading "@" come through the CSV intact (${tricky.join(' · ')})`,
				tricky.every((name) => customers.has(name)) && body.includes('"Robert Smith, Jr."') && body.includes('"Li ""Lily"" Chen"'),
				show(tricky.filter((name) => !customers.has(name))),
			);
			this.reportText = `Subject: ${message.subject}\n\n${text}`;
		}
	},
});

module.exports = { orderReport };
