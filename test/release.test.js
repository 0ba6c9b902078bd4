'use strict';
/**
 * How the package is released and linted, read from the files that do it: the GitHub workflows
 * (parsed as YAML), package.json, the lint config, CHANGELOG.md, and the release step's checks of
 * the tarball and the changelog. `npm run test:release` tries the release step itself on a clone.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const YAML = require('yaml');

const { checkContents } = require('../scripts/release/contents');
const { releaseChangelog, unreleasedNotes, hasVersion, previousVersion, tagOf } = require('../scripts/release/changelog');

const ROOT = path.resolve(__dirname, '..');
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const yamlFile = (file) => {
	const document = YAML.parseDocument(read(file), { prettyErrors: true });
	expect(document.errors.map(String)).toEqual([]);
	return document.toJS();
};
const pkg = JSON.parse(read('package.json'));
const steps = (job) => job.steps ?? [];
const runs = (job) => steps(job).map((step) => step.run ?? '');
const indexOfRun = (job, pattern) => runs(job).findIndex((text) => pattern.test(text));

/** GitHub's filter pattern for tags: * is any run of characters but "/". */
const matchesTagFilter = (pattern, tag) =>
	new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(tag);

describe('the publish workflow (.github/workflows/publish.yml)', () => {
	const workflow = yamlFile('.github/workflows/publish.yml');
	const jobs = Object.values(workflow.jobs ?? {});
	const publishing = jobs.filter((job) => indexOfRun(job, /\bnpm publish\b/) >= 0);

	test('runs only when a version tag is pushed, and the release step tags that way', () => {
		expect(Object.keys(workflow.on)).toEqual(['push']);
		expect(workflow.on.push.branches).toBeUndefined();
		const tags = workflow.on.push.tags;
		expect(tags.length).toBeGreaterThan(0);
		expect(tags.some((pattern) => matchesTagFilter(pattern, tagOf(pkg.version)))).toBe(true);
		expect(tags.some((pattern) => matchesTagFilter(pattern, tagOf('1.12.0')))).toBe(true);
		expect(tags.some((pattern) => matchesTagFilter(pattern, 'main'))).toBe(false);
	});

	test('publishes in one job, with an OIDC token for trusted publishing and provenance, and nothing more', () => {
		expect(publishing).toHaveLength(1);
		const [job] = publishing;
		expect(job.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
		// Jobs get no permission the workflow level does not name.
		expect(workflow.permissions).toEqual({});
	});

	test('installs with npm ci, checks the release, then publishes with --provenance the dist-tag the check chose', () => {
		const [job] = publishing;
		const install = indexOfRun(job, /^npm ci\b/m);
		const check = indexOfRun(job, /^npm run release -- --ci\b/m);
		const publish = indexOfRun(job, /\bnpm publish\b/);
		expect(install).toBeGreaterThanOrEqual(0);
		expect(check).toBeGreaterThan(install);
		expect(publish).toBeGreaterThan(check);
		const publishStep = steps(job)[publish];
		expect(publishStep.run).toMatch(/npm publish[^\n]*--provenance/);
		expect(publishStep.run).toMatch(/--access public/);
		expect(publishStep.run).not.toMatch(/--ignore-scripts|--provenance=false|--dry-run/);
		const checkStep = steps(job)[check];
		expect(checkStep.id).toBeDefined();
		expect(publishStep.run).toMatch(/--tag "\$DIST_TAG"/);
		expect(publishStep.env.DIST_TAG).toBe(`\${{ steps.${checkStep.id}.outputs.dist-tag }}`);
	});

	test('publishes with an npm that supports trusted publishing (11.5.1 or later)', () => {
		const [job] = publishing;
		const setupNode = steps(job).find((step) => /^actions\/setup-node@/.test(step.uses ?? ''));
		expect(setupNode).toBeDefined();
		expect(Number(setupNode.with['node-version'])).toBeGreaterThanOrEqual(24);
		const npmUpdate = indexOfRun(job, /npm install --global npm@11\b/);
		expect(npmUpdate).toBeGreaterThanOrEqual(0);
		expect(npmUpdate).toBeLessThan(indexOfRun(job, /\bnpm publish\b/));
	});
});

describe('the CI workflow (.github/workflows/ci.yml)', () => {
	const workflow = yamlFile('.github/workflows/ci.yml');

	test('runs on pull requests and on pushes to main, reading the repository only', () => {
		expect(workflow.on).toHaveProperty('pull_request');
		expect(workflow.on.push.branches).toEqual(['main']);
		expect(workflow.permissions).toEqual({ contents: 'read' });
	});

	test("runs the README's test command on the Node.js versions n8n runs on", () => {
		const job = Object.values(workflow.jobs).find((candidate) => indexOfRun(candidate, /^npm test$/m) >= 0);
		expect(job).toBeDefined();
		const versions = job.strategy.matrix['node-version'].map(Number);
		expect(versions).toEqual(expect.arrayContaining([20, 22, 24]));
		expect(indexOfRun(job, /^npm ci$/m)).toBeLessThan(indexOfRun(job, /^npm test$/m));
		const setupNode = steps(job).find((step) => /^actions\/setup-node@/.test(step.uses ?? ''));
		expect(setupNode.with['node-version']).toBe('${{ matrix.node-version }}');
	});

	test('also runs the tarball and release checks and the package inside a real n8n: the pinned one and the oldest supported', () => {
		const all = Object.values(workflow.jobs).flatMap(runs);
		expect(all).toEqual(expect.arrayContaining(['npm run test:release', 'npm run test:n8n -- --n8n ${{ matrix.n8n }}']));
		const real = Object.values(workflow.jobs).find((job) => indexOfRun(job, /npm run test:n8n/) >= 0);
		expect(real.strategy.matrix.n8n).toEqual(['current', 'oldest']);
		// .ci/run, CI on this machine, runs both too.
		expect(read('.ci/run')).toMatch(/^npm run test:n8n$/m);
		expect(read('.ci/run')).toMatch(/^npm run test:n8n -- --n8n oldest$/m);
	});
});

describe('Dependabot (.github/dependabot.yml)', () => {
	const config = yamlFile('.github/dependabot.yml');

	test('updates npm packages and the workflows\' actions', () => {
		expect(config.version).toBe(2);
		expect(config.updates.map((update) => update['package-ecosystem']).sort()).toEqual(['github-actions', 'npm', 'npm']);
		const npm = config.updates.find((update) => update['package-ecosystem'] === 'npm' && update.directory === '/');
		expect(npm.groups.n8n.patterns).toEqual(expect.arrayContaining(['n8n-core', 'n8n-workflow']));
	});

	test('updates the real n8n the package is tried in, and leaves the oldest supported one pinned', () => {
		const pinned = config.updates.find((update) => update.directory === '/scripts/real-n8n/pins/current');
		expect(pinned['package-ecosystem']).toBe('npm');
		expect(pinned.allow).toEqual([{ 'dependency-name': 'n8n' }]);
		// Dependabot reads a package.json and its lockfile in that folder: the pin test:n8n installs.
		const pin = JSON.parse(read('scripts/real-n8n/pins/current/package.json'));
		expect(Object.keys(pin.dependencies)).toEqual(['n8n']);
		expect(JSON.parse(read('scripts/real-n8n/pins/current/package-lock.json')).packages['node_modules/n8n'].version).toBe(pin.dependencies.n8n);
		expect(config.updates.some((update) => /pins\/oldest/.test(update.directory))).toBe(false);
	});
});

describe('package.json', () => {
	test('repository, homepage and bugs name the GitHub repository the workflows publish from', () => {
		const match = /^git\+https:\/\/github\.com\/([^/]+\/[^/.]+)\.git$/.exec(pkg.repository.url);
		expect(match).not.toBeNull();
		const repo = `https://github.com/${match[1]}`;
		expect(pkg.homepage).toBe(`${repo}#readme`);
		expect(pkg.bugs.url).toBe(`${repo}/issues`);
		expect(pkg.author.name).toBeTruthy();
		expect(read('CHANGELOG.md')).toMatch(new RegExp(`^\\[Unreleased\\]: ${repo}/(compare|commits)/`, 'm'));
	});

	test('npm publishes publicly with provenance: dist, the files npm always adds, and the index.js entry point', () => {
		expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
		expect(pkg.files).toEqual(['dist']);
		// index.js: the entry point the project's layout keeps; it requires only dist/ files.
		expect(pkg.main).toBe('index.js');
	});

	test("lints in n8n's strict mode: n8n-node lint with the config n8n's CLI generates", () => {
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.scripts.lint).toBe('n8n-node lint');
		// The file `n8n-node lint` compares eslint.config.mjs with in strict mode.
		const cliDist = path.resolve(path.dirname(require.resolve('@n8n/node-cli/eslint')), '..');
		const template = fs.readFileSync(path.join(cliDist, 'template/templates/shared/default/eslint.config.mjs'), 'utf8');
		const normalize = (text) => text.replace(/\s+/g, ' ').trim();
		expect(normalize(read('eslint.config.mjs'))).toBe(normalize(template));
	});

	test('builds from an empty dist', () => {
		expect(pkg.scripts.build).toMatch(/^gulp clean && tsc\b.* && gulp build:icons$/);
	});
});

describe('CHANGELOG.md and the release step that keeps it', () => {
	test('has an Unreleased section, comparing from the current version, and a section for it; or says nothing is published yet', () => {
		const changelog = read('CHANGELOG.md');
		expect(unreleasedNotes(changelog)).toBeDefined(); // empty right after a release
		const tagged = spawnSync('git', ['tag', '--list', tagOf(pkg.version)], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
		if (previousVersion(changelog) === undefined) {
			// Before the first release: no version is called released, none is tagged, and the
			// current version's section says it was never published.
			expect(changelog).not.toMatch(/^## \[(?!Unreleased\])/m);
			expect(changelog).toMatch(/^\[Unreleased\]: \S+\/commits\/main$/m);
			expect(changelog).toMatch(new RegExp(`^## ${pkg.version.replace(/\./g, '\\.')} - never published$`, 'm'));
			expect(tagged).toBe('');
		} else {
			expect(hasVersion(changelog, pkg.version)).toBe(true);
			expect(previousVersion(changelog)).toBe(pkg.version);
		}
	});

	const sample = [
		'# Changelog',
		'',
		'## [Unreleased]',
		'',
		'### Added',
		'',
		'- Something new.',
		'',
		'## [1.4.0] - 2026-01-02',
		'',
		'### Fixed',
		'',
		'- Something old.',
		'',
		'[Unreleased]: https://github.com/owner/repo/compare/v1.4.0...HEAD',
		'[1.4.0]: https://github.com/owner/repo/compare/v1.3.0...v1.4.0',
		'',
	].join('\n');

	test('a release moves the Unreleased notes under the version and links it to the previous one', () => {
		const released = releaseChangelog(sample, '1.5.0', '2027-01-02');
		expect(released).toBe(
			[
				'# Changelog',
				'',
				'## [Unreleased]',
				'',
				'## [1.5.0] - 2027-01-02',
				'',
				'### Added',
				'',
				'- Something new.',
				'',
				'## [1.4.0] - 2026-01-02',
				'',
				'### Fixed',
				'',
				'- Something old.',
				'',
				'[Unreleased]: https://github.com/owner/repo/compare/v1.5.0...HEAD',
				'[1.5.0]: https://github.com/owner/repo/compare/v1.4.0...v1.5.0',
				'[1.4.0]: https://github.com/owner/repo/compare/v1.3.0...v1.4.0',
				'',
			].join('\n'),
		);
		expect(unreleasedNotes(released)).toBe('');
		expect(previousVersion(released)).toBe('1.5.0');
	});

	test('the first release links its tag, and keeps the unpublished version below it', () => {
		const first = ['# Changelog', '', '## [Unreleased]', '', '- New.', '', '## 0.1.0 - never published', '', '- Old.', '', '[Unreleased]: https://github.com/owner/repo/commits/main', ''].join('\n');
		expect(unreleasedNotes(first)).toBe('- New.');
		expect(previousVersion(first)).toBeUndefined();
		expect(releaseChangelog(first, '0.2.0', '2027-01-02')).toBe(
			[
				'# Changelog',
				'',
				'## [Unreleased]',
				'',
				'## [0.2.0] - 2027-01-02',
				'',
				'- New.',
				'',
				'## 0.1.0 - never published',
				'',
				'- Old.',
				'',
				'[Unreleased]: https://github.com/owner/repo/compare/v0.2.0...HEAD',
				'[0.2.0]: https://github.com/owner/repo/releases/tag/v0.2.0',
				'',
			].join('\n'),
		);
	});

	test('it refuses a release with no notes, or of a version the changelog already has', () => {
		expect(() => releaseChangelog(releaseChangelog(sample, '1.5.0', '2027-01-02'), '1.5.1', '2027-01-03')).toThrow('no notes under "## [Unreleased]"');
		expect(() => releaseChangelog(sample, '1.4.0', '2027-01-03')).toThrow('already has a section for 1.4.0');
	});
});

describe('the tarball check of the release step', () => {
	let root;
	beforeAll(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-contents-'));
		const write = (file, text = '') => {
			fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
			fs.writeFileSync(path.join(root, file), text);
		};
		write('package.json', JSON.stringify({ main: 'index.js', n8n: { nodes: ['dist/nodes/A/A.node.js'], credentials: ['dist/credentials/C.credentials.js'] } }));
		write('index.js', "module.exports = { A: require('./dist/nodes/A/A.node.js').A };\n");
		for (const file of ['nodes/A/A.node.ts', 'nodes/A/A.node.json', 'nodes/A/a.svg', 'nodes/A/helpers/x.ts', 'credentials/C.credentials.ts']) write(file);
	});
	afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

	const good = [
		'package.json',
		'README.md',
		'LICENSE.md',
		'index.js',
		'dist/nodes/A/A.node.js',
		'dist/nodes/A/A.node.d.ts',
		'dist/nodes/A/A.node.js.map',
		'dist/nodes/A/A.node.json',
		'dist/nodes/A/a.svg',
		'dist/nodes/A/helpers/x.js',
		'dist/credentials/C.credentials.js',
	];

	test('passes exactly the build output of the current sources and the four root files', () => {
		expect(checkContents(root, good)).toEqual([]);
	});

	test('names a dist file whose source is gone, a file outside dist, and anything missing', () => {
		expect(checkContents(root, [...good, 'dist/nodes/A/Removed.node.js', 'dist/nodes/A/removed.svg'])).toEqual([
			'dist/nodes/A/Removed.node.js is stale: its source nodes/A/Removed.node.ts no longer exists',
			'dist/nodes/A/removed.svg is stale: its source nodes/A/removed.svg no longer exists',
		]);
		expect(checkContents(root, [...good, 'scratch.js', 'dist/test/x.js'])).toEqual([
			'scratch.js is outside dist/ (only dist/, package.json, README.md, LICENSE.md, index.js may ship)',
			'dist/test/x.js is not the build output of any source under nodes/ or credentials/',
		]);
		expect(checkContents(root, good.filter((file) => !['LICENSE.md', 'dist/nodes/A/helpers/x.js', 'dist/nodes/A/A.node.js'].includes(file)))).toEqual([
			'LICENSE.md is missing',
			'dist/nodes/A/A.node.js is missing (the output of nodes/A/A.node.ts)',
			'dist/nodes/A/helpers/x.js is missing (the output of nodes/A/helpers/x.ts)',
			'dist/nodes/A/A.node.js, required by index.js, is missing',
			'dist/nodes/A/A.node.js, named in package.json\'s "n8n" block, is missing',
		]);
	});
});
