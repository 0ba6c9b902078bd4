'use strict';
/**
 * n8n's REST API (/rest) as its editor uses it, for a logged-in owner: what `npm run dev` uses to
 * set up its credential and workflow, and what `npm run test:dev` uses to run that workflow.
 */

/** The owner `npm run dev` signs up (n8n wants 8+ characters, a number and a capital). */
const DEV_OWNER = { email: 'dev@example.com', firstName: 'HelloTech', lastName: 'Developer', password: 'HelloTech-dev-1' };

const cookieOf = (response) =>
	response.headers
		.getSetCookie()
		.map((entry) => entry.split(';')[0])
		.join('; ');

/**
 * Signs up `owner` in a new n8n, or logs in as them in one that has its owner already. Resolves
 * { request(method, path, body), headers, created } where request returns the answer's `data`
 * and headers (with the login cookie) serve plain fetches such as the editor's /types lists.
 */
async function ownerSession(baseUrl, owner = DEV_OWNER) {
	const headers = { 'content-type': 'application/json', 'browser-id': 'hellotech-dev' };
	const post = (path, body) => fetch(`${baseUrl}/rest${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
	let created = true;
	let response = await post('/owner/setup', owner);
	if (!response.ok) {
		created = false;
		response = await post('/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (!response.ok) throw new Error(`n8n neither set up nor logged in ${owner.email}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
	}
	const session = { ...headers, cookie: cookieOf(response) };
	async function request(method, path, body) {
		const answer = await fetch(`${baseUrl}/rest${path}`, { method, headers: session, body: body === undefined ? undefined : JSON.stringify(body) });
		const text = await answer.text();
		if (!answer.ok) throw new Error(`n8n ${method} /rest${path}: HTTP ${answer.status} ${text.slice(0, 300)}`);
		return text ? JSON.parse(text).data : undefined;
	}
	return { request, headers: session, created, owner };
}

/** Creates the credential `name` of `type`, or updates its data when it exists. Resolves its id. */
async function upsertCredential(session, { name, type, data }) {
	const existing = (await session.request('GET', '/credentials')).find((entry) => entry.name === name && entry.type === type);
	if (existing) {
		await session.request('PATCH', `/credentials/${existing.id}`, { name, type, data });
		return existing.id;
	}
	return (await session.request('POST', '/credentials', { name, type, data })).id;
}

/** The workflow named `workflow.name`, created from `workflow` when there is none. Resolves it. */
async function ensureWorkflow(session, workflow) {
	const existing = (await session.request('GET', '/workflows')).find((entry) => entry.name === workflow.name && !entry.isArchived);
	if (existing) return existing;
	return session.request('POST', '/workflows', workflow);
}

module.exports = { DEV_OWNER, ownerSession, upsertCredential, ensureWorkflow };
