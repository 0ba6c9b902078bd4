'use strict';
/** SKU endpoints: the catalogue (keyset paged by id) and Check ZIP. */

function listSkus({ state, query, HttpError }) {
	let limit = state.options.maxPageSize;
	if (query.limit !== undefined) {
		if (!/^\d+$/.test(query.limit) || Number(query.limit) < 1) throw new HttpError(422, { errors: ['limit must be a positive integer'] });
		limit = Math.min(Number(query.limit), state.options.maxPageSize);
	}
	let skus = state.skus.slice().sort((a, b) => a.id - b.id);
	if (query.cursor !== undefined) skus = skus.filter((sku) => sku.id > Number(query.cursor));
	return { status: 'success', skus: skus.slice(0, limit).map((sku) => state.skuView(sku)) };
}

/**
 * Check ZIP. A ZIP HelloTech knows lies in a metro area (CBSA), named in every answer; `treatment`
 * says whether the SKU is offered there. A ZIP it does not know (options.unknownZips) lies in none:
 * treatment off with cbsa_id and cbsa null, or, with options.unknownZipAnswer '404', the same 404
 * as an unknown SKU.
 */
function checkZip({ state, params, body, HttpError }) {
	const sku = state.findSku(params[0]);
	if (!sku) throw new HttpError(404, { error: 'Record Not Found' });
	const zip = body.zip === undefined || body.zip === null ? '' : String(body.zip);
	if (!/^\d{5}$/.test(zip)) throw new HttpError(422, { errors: ['Zip must be a 5-digit ZIP code'] });
	if (!state.zipKnown(zip)) {
		if (state.options.unknownZipAnswer === '404') throw new HttpError(404, { error: 'Record Not Found' });
		return { status: 'success', treatment: 'off', zip, cbsa_id: null, cbsa: null };
	}
	return {
		status: 'success',
		treatment: state.offeredAt(sku, zip) ? 'on' : 'off',
		zip,
		cbsa_id: Number(`3${zip.slice(0, 4)}`),
		cbsa: `Sandbox Metro ${zip.slice(0, 3)}`,
	};
}

module.exports = {
	routes: [
		{ method: 'GET', pattern: /^\/api\/partners\/skus$/, handle: listSkus },
		{ method: 'POST', pattern: /^\/api\/partners\/skus\/(\d+)\/check_zip$/, handle: checkZip },
	],
};
