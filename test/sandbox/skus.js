'use strict';
/** SKU endpoints: the catalogue (paged by id, or as options.skuPaging says: see paging.js) and Check ZIP. */
const { pageOf } = require('./paging');

function listSkus({ state, query, HttpError }) {
	const sorted = state.skus.slice().sort((a, b) => a.id - b.id);
	const afterCursor = (skus, cursor) => skus.filter((sku) => sku.id > Number(cursor) || (state.options.cursorInclusive && sku.id === Number(cursor)));
	const { records } = pageOf({ state, query, HttpError, sorted, afterCursor, paging: state.options.skuPaging, defaultLimit: state.options.maxPageSize });
	return { status: 'success', skus: records.map((sku) => state.skuView(sku)) };
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
