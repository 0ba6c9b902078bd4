'use strict';
/** Demo data: a few known clients and `count` orders over the last days, tagged and in several statuses. */

const TAGS = [['store-42'], ['spring-promo'], ['store-42', 'spring-promo'], ['online'], []];
const STATUSES = [0, 1, 2, 2, 3, 4, 5];

function seedDemoData(state, count = 40) {
	const clients = [
		state.addClient({ first_name: 'Maya', last_name: 'Lopez', email: 'maya.lopez@example.com', external_id: 'crm-1001', phone: '3105550101', full_address: '719 Flower St, Los Angeles, CA 90017' }),
		state.addClient({ first_name: 'Sam', last_name: 'Okafor', email: 'sam.okafor@example.com', external_id: 'crm-1002', phone: '2125550102', full_address: '350 5th Ave, New York, NY 10118' }),
	];
	return state.seedOrders(
		count,
		(i) => ({
			client_id: clients[i % clients.length].id,
			tags: TAGS[i % TAGS.length],
			statusCode: STATUSES[i % STATUSES.length],
			purchase_order_id: `SEED-${1000 + i}`,
			sku_id: [state.skus[i % state.skus.length].id],
		}),
		{ spacingMs: 2 * 3600_000 },
	);
}

module.exports = { seedDemoData };
