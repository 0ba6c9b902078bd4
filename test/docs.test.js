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


// ---- The README (the npm page) and docs/ -------------------------------------------------------

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const DOCS = path.join(ROOT, 'docs');
const docPages = fs.readdirSync(DOCS).filter((name) => name.endsWith('.md')).sort();
const readDoc = (name) => fs.readFileSync(path.join(DOCS, name), 'utf8');
// The GitHub repository package.json names: the npm page resolves no relative link, so the README
// links the rest of the repository by full URL, under these two prefixes.
const REPO = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
const REPO_PATH = new URL(REPO).pathname.slice(1);
const BLOB = `${REPO}/blob/main/`;
const RAW = `https://raw.githubusercontent.com/${REPO_PATH}/main/`;

/** Markdown text outside fenced code blocks and inline code. */
const prose = (markdown) => markdown.replace(/^```[^]*?^```/gm, '').replace(/`[^`\n]*`/g, '``');
/** Every [text](target) and ![alt](target) link, and every <img src="target">. */
const linksOf = (markdown) => [...prose(markdown).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src="([^"]+)"/g)].map((match) => match[1] ?? match[2]);
/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as "-". */
const anchorsOf = (markdown) =>
	new Set(
		[...markdown.replace(/^```[^]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
			match[1]
				.toLowerCase()
				.replace(/[^\p{L}\p{N}\s_-]/gu, '')
				.replace(/ /g, '-'),
		),
	);

/** Resolves a link of `fromFile` (repository-relative) to a repository file and anchor, or null when it leaves the repository. */
function resolveLink(fromFile, target) {
	let file;
	let rest = target;
	if (target.startsWith(BLOB)) rest = target.slice(BLOB.length);
	else if (target.startsWith(RAW)) rest = target.slice(RAW.length);
	else if (/^[a-z]+:/i.test(target)) return null;
	else if (target.startsWith('#')) return { file: fromFile, anchor: target.slice(1) };
	else rest = path.posix.join(path.posix.dirname(fromFile), target);
	const [filePart, anchor] = rest.split('#');
	file = path.posix.normalize(filePart);
	return { file, anchor };
}

function brokenLinks(fromFile, markdown) {
	const broken = [];
	for (const target of linksOf(markdown)) {
		const link = resolveLink(fromFile, target);
		if (!link) continue;
		const full = path.join(ROOT, link.file);
		if (!fs.existsSync(full)) {
			broken.push(`${target}: no file ${link.file}`);
			continue;
		}
		if (link.anchor && link.file.endsWith('.md') && !anchorsOf(fs.readFileSync(full, 'utf8')).has(link.anchor)) {
			broken.push(`${target}: no heading #${link.anchor} in ${link.file}`);
		}
	}
	return broken;
}

describe('the README, the npm page', () => {
	test('is a front page an n8n user reads in five minutes: at most 250 lines', () => {
		expect(README.split('\n').length).toBeLessThanOrEqual(250);
	});

	test("links every other file by full URL (npm's page resolves no relative link), and every link lands", () => {
		const relative = linksOf(README).filter((target) => !/^(https?:|mailto:|#)/.test(target));
		expect(relative).toEqual([]);
		expect(brokenLinks('README.md', README)).toEqual([]);
	});

	test('links every page of docs/ and the CHANGELOG', () => {
		const linked = new Set(linksOf(README).map((target) => resolveLink('README.md', target)?.file));
		for (const page of docPages) expect([page, linked.has(`docs/${page}`)]).toEqual([page, true]);
		expect(linked.has('CHANGELOG.md')).toBe(true);
	});

	test("lists every action of the node as n8n's actions panel names it, and the two set-up commands", () => {
		const action = packageContents.nodes.find((node) => node.description.usableAsTool);
		const section = README.slice(README.indexOf('## Operations'), README.indexOf('\n## ', README.indexOf('## Operations') + 1));
		const actions = action.description.properties.filter((property) => property.name === 'operation').flatMap((property) => property.options.map((option) => option.action));
		expect(actions.length).toBeGreaterThanOrEqual(11);
		for (const name of actions) expect([name, section.includes(`| ${name} |`)]).toEqual([name, true]);
		expect(README).toContain('npm ci && npm run demo');
		expect(README).toContain('npm ci && npm test');
	});

	test('every example workflow it names is in examples/', () => {
		const examples = linksOf(README).filter((target) => target.startsWith(`${BLOB}examples/`));
		expect(examples.length).toBeGreaterThanOrEqual(5);
		const onDisk = fs.readdirSync(path.join(ROOT, 'examples')).filter((name) => name.endsWith('.json'));
		for (const name of onDisk) expect([name, examples.includes(`${BLOB}examples/${name}`)]).toEqual([name, true]);
	});
});

describe('the pictures', () => {
	// Generated from the real editor by npm run screenshots (scripts/screenshots/pictures.js), never hand-made.
	const { pictures } = require(path.join(ROOT, 'scripts', 'screenshots', 'pictures.js'));
	const images = path.join(DOCS, 'images');
	const onDisk = fs.existsSync(images) ? fs.readdirSync(images).sort() : [];

	test('every picture in docs/images is one npm run screenshots takes, and the README or a docs page shows it', () => {
		expect(onDisk).toEqual(pictures.map((picture) => picture.file).sort());
		const shown = [README, ...docPages.map(readDoc)].flatMap((text) => linksOf(text)).filter((target) => target.includes('docs/images/') || target.startsWith('images/'));
		for (const file of onDisk) expect([file, shown.some((target) => target.endsWith(`/${file}`))]).toEqual([file, true]);
	});

	test('each is a PNG', () => {
		for (const file of onDisk) expect(fs.readFileSync(path.join(images, file)).subarray(1, 4).toString()).toBe('PNG');
	});
});

describe('docs/', () => {
	test.each(docPages)('%s: every relative link and #anchor lands', (page) => {
		expect(brokenLinks(`docs/${page}`, readDoc(page))).toEqual([]);
	});

	test('the defaults the pages state are the node\'s', () => {
		const [action] = packageContents.nodes;
		const trigger = packageContents.nodes.find((node) => node !== action);
		const option = (node, name) => {
			const find = (properties) => {
				for (const property of properties) {
					if (property.name === name) return property;
					const inner = property.options && property.type === 'collection' ? find(property.options) : undefined;
					if (inner) return inner;
				}
				return undefined;
			};
			return find(node.description.properties);
		};
		const facts = [
			['reliability.md', /Max Rate Limit\s+Wait\*\* \(Options, default (\d+) s/, option(action, 'maxRateLimitWait').default],
			['reliability.md', /Timeout \(Options, default (\d+) s\)/, option(action, 'timeout').default / 1000],
			['performance.md', /\*\*Choosing Max Concurrent Requests\*\* \(Options; default (\d+)/, option(action, 'maxConcurrent').default],
			['trigger.md', /\*\*Max Watched Orders\*\* \(default (\d+)\)/, option(trigger, 'maxWatched').default],
			['operations.md', /Limit \(default (\d+)\)/, option(action, 'limit').default],
		];
		for (const [page, pattern, value] of facts) {
			const match = pattern.exec(readDoc(page).replace(/\n\s*/g, ' '));
			expect([page, pattern.source, match && Number(match[1])]).toEqual([page, pattern.source, value]);
		}
	});

	test("column-mapper.md: every heading it says Map Automatically reads is read as that field", () => {
		const { ORDER_FIELDS, columnKey } = require(path.join(ROOT, 'dist', 'nodes', 'HelloTech', 'actions', 'order', 'columns.js'));
		const rows = [...readDoc('column-mapper.md').matchAll(/^\| ([^|`]+) \(`(\w+)`\) \| ([^|]+) \|$/gm)];
		expect(rows.length).toBeGreaterThanOrEqual(10);
		for (const [, displayName, id, aliases] of rows) {
			const field = ORDER_FIELDS.find((candidate) => candidate.id === id);
			const names = new Set([field.id, field.displayName, ...field.aliases].map(columnKey));
			for (const name of [displayName, ...aliases.split(',')].map((entry) => entry.trim())) expect([id, name, names.has(columnKey(name))]).toEqual([id, name, true]);
		}
	});
});

describe("n8n's nodes panel", () => {
	// The editor lists a trigger whose type name is a node's plus "Trigger" as one entry with that
	// node, and shows the trigger's description for the entry (n8n's useActionsGeneration:
	// `app.description = trigger.description`).
	const action = packageContents.nodes.find((node) => !node.description.group.includes('trigger'));
	const trigger = packageContents.nodes.find((node) => node.description.group.includes('trigger'));

	test('lists the node and the trigger as one entry, "HelloTech"', () => {
		expect(trigger.description.name.replace('Trigger', '')).toBe(action.description.name);
	});

	test('describes that entry as the node, then what the trigger adds', () => {
		expect(trigger.description.description.startsWith(action.description.description)).toBe(true);
		expect(trigger.description.description).toMatch(/start workflows when an order is created or changes status$/);
	});

	// n8n writes "Get many orders"; its strict lint refuses a plural acronym ("SKUs" is not sentence
	// case) and n8n's own nodes write none ("Get many RMM alerts"): the catalogue's SKUs are services.
	test('names every Get Many action "Get many <things>", as n8n\'s own nodes do', () => {
		const operations = action.description.properties.filter((property) => property.name === 'operation');
		const getMany = operations.flatMap((property) => property.options.filter((option) => option.value === 'getAll'));
		expect(getMany.map((option) => option.action)).toEqual(['Get many orders', 'Get many services']);
		for (const option of operations.flatMap((property) => property.options)) expect(option.action).not.toMatch(/\brecords?\b/);
	});
});

describe('n8n versions the package supports (see the README\'s Compatibility)', () => {
	// n8n before 2.35 resolves a field's displayOptions only against the node's top-level
	// parameters (and @version, @tool): a condition on a value inside one, such as the column
	// mapper's `columns.mappingMode`, makes it refuse every workflow that holds the node.
	test('every displayOptions condition names a top-level parameter of the node, @version or @tool', () => {
		for (const node of packageContents.nodes) {
			const topLevel = new Set(node.description.properties.map((property) => property.name));
			const conditions = [];
			const walk = (properties) => {
				for (const property of properties ?? []) {
					for (const kind of ['show', 'hide']) {
						for (const key of Object.keys(property.displayOptions?.[kind] ?? {})) conditions.push([property.name, key]);
					}
					walk(property.options?.filter((option) => typeof option === 'object' && 'type' in option));
					for (const group of property.options ?? []) if (Array.isArray(group.values)) walk(group.values);
				}
			};
			walk(node.description.properties);
			expect(conditions.length).toBeGreaterThan(0);
			const unresolvable = conditions.filter(([, key]) => !['@version', '@tool'].includes(key) && !topLevel.has(key.replace(/^\//, '')));
			expect([node.description.name, unresolvable]).toEqual([node.description.name, []]);
		}
	});
});
