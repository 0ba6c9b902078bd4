'use strict';
// How the package presents itself in n8n: documentation links, codex (search aliases, the AI tool
// panel), and the status options' descriptions.
const fs = require('fs');
const path = require('path');

const { packageContents } = require('./harness/engine');
const { ORDER_STATUSES } = require(path.join(__dirname, '..', 'dist', 'nodes', 'HelloTech', 'api.js'));

const ROOT = path.join(__dirname, '..');
const pkg = require(path.join(ROOT, 'package.json'));
const NPM_PAGE = `https://www.npmjs.com/package/${pkg.name}`;
const codexOf = (node) => {
	const file = path.join(ROOT, 'nodes', node.description.displayName.replace(/\s/g, ''), `${node.description.displayName.replace(/\s/g, '')}.node.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8'));
};

describe('documentation links', () => {
	test("every node, codex file and the credential link this package's README (its npm page), with no #anchor", () => {
		const links = [];
		for (const node of packageContents.nodes) {
			links.push(node.description.documentationUrl);
			const { resources } = codexOf(node);
			links.push(...resources.primaryDocumentation.map((entry) => entry.url), ...resources.credentialDocumentation.map((entry) => entry.url));
		}
		links.push(...packageContents.credentials.map((credential) => credential.documentationUrl));
		expect(links).toHaveLength(7);
		for (const link of links) expect(link).toBe(NPM_PAGE);
	});

	test("n8n's appended tracking query leaves the link pointing at the same page", () => {
		// The editor opens codex links as `${url}?utm_source=n8n_app&…`; an anchor before it would be lost.
		const opened = new URL(`${NPM_PAGE}?utm_source=n8n_app&utm_medium=node_settings_modal-credential_link`);
		expect(`${opened.origin}${opened.pathname}`).toBe(NPM_PAGE);
		expect(opened.hash).toBe('');
	});
});

describe('codex', () => {
	test('each codex file names its node and lets n8n find it by what users search for', () => {
		for (const node of packageContents.nodes) {
			const codex = codexOf(node);
			expect(codex.node).toBe(`${pkg.name}.${node.description.name}`);
			expect(codex.alias).toEqual(expect.arrayContaining(['technician', 'installation', 'booking', 'home services']));
		}
	});

	test("the action node keeps its AI tool twin under n8n's Other Tools", () => {
		const action = packageContents.nodes.find((node) => node.description.usableAsTool);
		expect(codexOf(action).subcategories).toEqual({ Tools: ['Other Tools'] });
	});
});

describe('order statuses', () => {
	test('every status option, wherever statuses are picked, says what the status means', () => {
		const pickers = [];
		for (const node of packageContents.nodes) {
			const walk = (properties) => {
				for (const property of properties) {
					if (property.name === 'statuses' && property.type === 'multiOptions') pickers.push(property);
					if (property.type === 'collection') walk(property.options);
				}
			};
			walk(node.description.properties);
		}
		// Get Many's and Count by Tag's filters, the trigger's Into Statuses.
		expect(pickers.length).toBeGreaterThanOrEqual(3);
		for (const picker of pickers) {
			expect(picker.options).toHaveLength(ORDER_STATUSES.length);
			for (const option of picker.options) expect(option.description).toMatch(/^[A-Z].{5,}/);
		}
		expect(pickers[0].options.find((option) => option.name === 'Master Client Approval').description).toMatch(/approval/i);
		expect(pickers[0].options.find((option) => option.name === 'Late Tech').description).toMatch(/late/i);
	});
});

