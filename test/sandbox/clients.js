'use strict';
/** Client endpoints: create (an upsert on external_id), get, update, Stripe setup intent and ephemeral key. */

const { formatPhone } = require('./state');

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const random = (length) => Array.from({ length }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)]).join('');

/** 400 with Rails-style field errors, as the docs show for the client endpoints. */
function checkClientBody(body, HttpError) {
	const errors = {};
	if (body.email === undefined || body.email === null || String(body.email).trim() === '') errors.email = ["can't be blank"];
	else if (!EMAIL.test(body.email)) errors.email = ['is invalid'];
	if (body.phone !== undefined && String(body.phone).replace(/\D/g, '').length < 7) errors.phone = ['is invalid'];
	if (Object.keys(errors).length) throw new HttpError(400, { errors });
}

function apply(client, body) {
	for (const key of ['external_id', 'first_name', 'last_name', 'email', 'full_address']) {
		if (body[key] !== undefined) client[key] = body[key];
	}
	if (body.phone !== undefined) client.phone = formatPhone(body.phone);
	return client;
}

function findOr404(state, id, HttpError) {
	const client = state.findClient(id);
	if (!client) throw new HttpError(404, { errors: ['Record Not Found'] });
	return client;
}

function createClient({ state, body, HttpError }) {
	checkClientBody(body, HttpError);
	const existing = body.external_id ? state.clients.find((client) => client.external_id === body.external_id) : undefined;
	if (existing) return apply(existing, body);
	return state.addClient(body);
}

function getClient({ state, params, HttpError }) {
	return findOr404(state, params[0], HttpError);
}

function updateClient({ state, params, body, HttpError }) {
	const client = findOr404(state, params[0], HttpError);
	checkClientBody(body, HttpError);
	return apply(client, body);
}

function setupIntent({ state, params, HttpError }) {
	const client = findOr404(state, params[0], HttpError);
	client.stripe_customer_id = client.stripe_customer_id ?? `cus_${random(14)}`;
	const secret = state.options.opaqueSecrets ? random(48) : `seti_${random(24)}_secret_${random(32)}`;
	state.issuedSecrets.push(secret);
	return { stripe_customer_id: client.stripe_customer_id, client_secret: secret };
}

function ephemeralKey({ state, params, HttpError }) {
	const client = findOr404(state, params[0], HttpError);
	client.stripe_customer_id = client.stripe_customer_id ?? `cus_${random(14)}`;
	const key = state.options.opaqueSecrets ? random(48) : `ek_test_${random(40)}`;
	state.issuedSecrets.push(key);
	return { stripe_customer_id: client.stripe_customer_id, ephemeral_key: key };
}

module.exports = {
	routes: [
		{ method: 'POST', pattern: /^\/api\/partners\/clients$/, handle: createClient },
		{ method: 'GET', pattern: /^\/api\/partners\/clients\/(\d+)$/, handle: getClient },
		{ method: 'PUT', pattern: /^\/api\/partners\/clients\/(\d+)$/, handle: updateClient },
		{ method: 'POST', pattern: /^\/api\/partners\/clients\/(\d+)\/setup_intent$/, handle: setupIntent },
		{ method: 'POST', pattern: /^\/api\/partners\/clients\/(\d+)\/ephemeral_key$/, handle: ephemeralKey },
	],
};
