'use strict';
/**
 * A partner's orders as the order report (examples/scheduled-order-report.json) meets them: the
 * `days` days up to `now` (UTC), a few hundred orders on the day before `now`'s day and on the day
 * before that, about a hundred on each earlier day, a few so far today. Statuses are those of
 * orders of that age (older ones mostly Completed or Paid); a few are still Pending or Searching
 * days after booking, a few Unserviceable or cancelled. Store and campaign tags; customers whose
 * names a CSV must carry intact (a comma, quotes, accents, a leading "@"); some orders without a
 * purchase order ID.
 *
 * `reportOrders({ now })` returns the orders as POST /__sandbox/orders takes them (oldest first,
 * so IDs grow with booking time); the same `now` always gives the same orders. The sandbox's own
 * default data (seed.js) is not touched.
 *
 * No order still Pending or Searching is booked within `clearOfMs` of `now - stuckAfterHours`:
 * whether the report counts it as stuck cannot depend on how long the run takes.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const STATUS = {
	PENDING: 0,
	SEARCHING: 1,
	ASSIGNED: 2,
	COMPLETED: 3,
	CANCELLED: 4,
	PAID: 5,
	ABANDONED: 6,
	CANCELLED_BY_GEEK: 7,
	UNSERVICEABLE: 9,
	PAUSED: 10,
	INCOMPLETE: 12,
	LATE_TECH: 13,
	PENDING_APPROVAL: 15,
};

/** [status, weight]: orders booked today, yesterday, the day before, and earlier. */
const STATUS_MIX = {
	today: [[STATUS.PENDING, 45], [STATUS.SEARCHING, 35], [STATUS.ASSIGNED, 20]],
	yesterday: [
		[STATUS.ASSIGNED, 62], [STATUS.SEARCHING, 6], [STATUS.PENDING, 3], [STATUS.COMPLETED, 14], [STATUS.CANCELLED, 2],
		[STATUS.UNSERVICEABLE, 1.2], [STATUS.CANCELLED_BY_GEEK, 0.7], [STATUS.PENDING_APPROVAL, 3], [STATUS.PAUSED, 2],
		[STATUS.LATE_TECH, 2], [STATUS.PAID, 3],
	],
	dayBefore: [
		[STATUS.ASSIGNED, 40], [STATUS.COMPLETED, 32], [STATUS.PAID, 9], [STATUS.SEARCHING, 1], [STATUS.PENDING, 0.5], [STATUS.CANCELLED, 3],
		[STATUS.UNSERVICEABLE, 1.2], [STATUS.CANCELLED_BY_GEEK, 0.8], [STATUS.PENDING_APPROVAL, 2], [STATUS.PAUSED, 1.5],
		[STATUS.LATE_TECH, 1], [STATUS.INCOMPLETE, 1.5],
	],
	earlier: [
		[STATUS.COMPLETED, 42], [STATUS.PAID, 28], [STATUS.ASSIGNED, 14], [STATUS.CANCELLED, 4], [STATUS.UNSERVICEABLE, 1.5],
		[STATUS.CANCELLED_BY_GEEK, 1], [STATUS.SEARCHING, 0.25], [STATUS.PENDING, 0.1], [STATUS.INCOMPLETE, 2], [STATUS.ABANDONED, 2],
	],
};

const STORES = [['store-12', 35], ['store-42', 40], ['store-77', 25]];
const CUSTOMERS = [
	'Maya Lopez', 'Sam Okafor', 'Priya Raman', 'Daniel Kim', 'Grace Liu', 'Marcus Bell', 'Hannah Weiss', 'Omar Haddad',
	'Emily Carter', 'Luis Ortega', 'Aisha Bello', 'Tom Becker', 'Rachel Green', 'Kevin Nguyen', 'Sofia Rossi', 'James Park',
	'Olivia Brown', 'Ethan Wright', 'Chloe Martin', 'Noah Davis', 'Ava Wilson', 'Liam Johnson', 'Mia Thompson', 'Lucas Moore',
];
/** Names a CSV and an HTML email must carry intact; each is on one of yesterday's orders at least. */
const TRICKY_CUSTOMERS = ['José Núñez', "Siobhán O'Connor", 'Robert Smith, Jr.', 'Li "Lily" Chen', 'Nguyễn Thị Mai', '@Home Realty', 'Zoë Ångström'];
const ADDRESSES = [
	'350 5th Ave, New York, NY 10118',
	'719 Flower St, Los Angeles, CA 90017',
	'1 Main St, Cambridge, MA 02142',
	'233 S Wacker Dr, Chicago, IL 60606',
	'600 Congress Ave, Austin, TX 78701',
	'1000 4th Ave, Seattle, WA 98104',
	'200 Peachtree St NW, Atlanta, GA 30303',
	'1500 Market St, Philadelphia, PA 19102',
	'2 Embarcadero Center, San Francisco, CA 94111',
	'100 N Biscayne Blvd, Miami, FL 33132',
];
const SKUS = [[10639, 30], [10640, 15], [10641, 20], [10642, 10], [10643, 10], [10644, 15]];
/** When in the day (UTC hour) orders are booked: mostly office hours, a few at night. */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 10, 10, 9, 9, 8, 7, 6, 5, 4, 3, 2];
const HAS_APPOINTMENT = new Set([STATUS.ASSIGNED, STATUS.COMPLETED, STATUS.PAID, STATUS.LATE_TECH, STATUS.INCOMPLETE]);
const WAITING = new Set([STATUS.PENDING, STATUS.SEARCHING]);

/** A small seeded random sequence (mulberry32), so a seed gives the same orders every time. */
function randomSequence(seed) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const pad = (number, width) => String(number).padStart(width, '0');
const dayStamp = (ms) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

/**
 * @param {object} options
 * @param {number} [options.now] the moment the report runs around (ms)
 * @param {number} [options.days] how many whole days before today hold orders
 * @param {number} [options.yesterday] how many orders yesterday holds (the day before holds ~8% fewer)
 * @param {number} [options.perDay] about how many orders each earlier day holds
 * @param {number} [options.stuckAfterHours] the report's threshold for "still waiting"
 * @param {number} [options.clearOfMs] no waiting order is booked this close to that threshold
 */
function reportOrders({ now = Date.now(), days = 16, yesterday = 312, perDay = 110, today = 14, stuckAfterHours = 24, clearOfMs = 2 * HOUR_MS, seed = 21 } = {}) {
	const random = randomSequence(seed);
	const pick = (weighted) => {
		let left = random() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
		for (const [value, weight] of weighted) if ((left -= weight) < 0) return value;
		return weighted[weighted.length - 1][0];
	};
	const oneOf = (list) => list[Math.floor(random() * list.length)];
	const todayStart = Math.floor(now / DAY_MS) * DAY_MS;
	const threshold = now - stuckAfterHours * HOUR_MS;
	const orders = [];

	const order = (createdAtMs, statusCode, customer, fields = {}) => {
		// A waiting order too close to the stuck threshold has moved on (a technician took it).
		if (WAITING.has(statusCode) && Math.abs(createdAtMs - threshold) < clearOfMs) statusCode = STATUS.ASSIGNED;
		const tags = [];
		if (random() < 0.86) tags.push(pick(STORES));
		if (random() < 0.18) tags.push('holiday-tv');
		if (random() < 0.03) tags.push('vip');
		const skus = [pick(SKUS)];
		if (random() < 0.15) skus.push(pick(SKUS.filter(([id]) => id !== skus[0])));
		const local = customer.toLowerCase().normalize('NFD').replace(/[^a-z ]/g, '').trim().replace(/\s+/g, '.');
		orders.push({
			createdAtMs,
			statusCode,
			tags,
			sku_id: skus,
			client_name: customer,
			email: `${local || 'customer'}@example.com`,
			phone: `${pick([['212', 1], ['310', 1], ['617', 1], ['312', 1]])}555${pad(Math.floor(random() * 10_000), 4)}`,
			address: oneOf(ADDRESSES),
			appointmentMs: HAS_APPOINTMENT.has(statusCode) ? Math.floor(createdAtMs / DAY_MS + 1 + Math.floor(random() * 4)) * DAY_MS + (9 + Math.floor(random() * 8)) * HOUR_MS : undefined,
			...fields,
		});
	};
	const timeIn = (dayStart, until = dayStart + DAY_MS) => {
		for (;;) {
			const at = dayStart + pick(HOUR_WEIGHTS.map((weight, hour) => [hour, weight])) * HOUR_MS + Math.floor(random() * HOUR_MS);
			if (at < until) return at;
			if (until - dayStart < HOUR_MS) return dayStart + Math.floor(random() * (until - dayStart));
		}
	};

	for (let back = days; back >= 1; back--) {
		const dayStart = todayStart - back * DAY_MS;
		const count = back === 1 ? yesterday : back === 2 ? Math.round(yesterday * 0.92) : Math.round(perDay * (0.8 + random() * 0.4));
		const mix = back === 1 ? STATUS_MIX.yesterday : back === 2 ? STATUS_MIX.dayBefore : STATUS_MIX.earlier;
		for (let i = 0; i < count; i++) {
			const customer = back === 1 && i < TRICKY_CUSTOMERS.length ? TRICKY_CUSTOMERS[i] : oneOf(CUSTOMERS);
			order(timeIn(dayStart), pick(mix), customer);
		}
	}
	for (let i = 0; i < today; i++) order(timeIn(todayStart, now), pick(STATUS_MIX.today), oneOf(CUSTOMERS));

	// What the needs-attention list is for, on orders whose names test the email and the CSV.
	const at = (back, hour) => todayStart - back * DAY_MS + hour * HOUR_MS;
	order(at(3, 10), STATUS.SEARCHING, "Siobhán O'Connor");
	order(at(9, 15), STATUS.PENDING, 'Robert Smith, Jr.');
	order(at(days + 1, 11), STATUS.PENDING, 'Maya Lopez'); // before any look-back the report uses
	order(at(1, 9), STATUS.UNSERVICEABLE, 'José Núñez');
	order(at(1, 16), STATUS.CANCELLED_BY_GEEK, 'Li "Lily" Chen');
	order(at(1, 12), STATUS.CANCELLED, '@Home Realty');

	orders.sort((a, b) => a.createdAtMs - b.createdAtMs);
	const perDayCount = new Map();
	for (const entry of orders) {
		const stamp = dayStamp(entry.createdAtMs);
		perDayCount.set(stamp, (perDayCount.get(stamp) ?? 0) + 1);
		// Some partners leave the purchase order ID out now and then.
		if (random() < 0.03 && !TRICKY_CUSTOMERS.includes(entry.client_name)) continue;
		entry.purchase_order_id = `PO-${stamp}-${pad(perDayCount.get(stamp), 4)}`;
	}
	return orders;
}

module.exports = { reportOrders, STATUS, randomSequence };
