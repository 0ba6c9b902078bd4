#!/usr/bin/env node
'use strict';
/**
 * npm run test:release — the release step tried on a clone of this repository's HEAD (in a
 * temporary folder, with this checkout's node_modules linked in):
 *   1. what `npm publish --dry-run` would ship after `npm run build`: only dist/ (each file the
 *      output of a current source), README.md, LICENSE.md, package.json and index.js;
 *   2. a source file removed after a build never reaches the tarball: the next build drops its
 *      output, and the tarball check names a stale dist that was not rebuilt;
 *   3. `npm run release` refuses a dirty tree (a changed and an untracked file), a failing build,
 *      a failing lint, a failing test, and, in the publish workflow's mode, a tag that is not the
 *      version or a repository the provenance would not match;
 *   4. on a clean, passing tree it releases: rebuilds (a leftover dist file is gone), bumps the
 *      version, moves CHANGELOG.md's notes, commits and tags; the publish workflow's mode then
 *      passes on that tag and chooses the dist-tag.
 * Nothing is pushed or published. HELLOTECH_RELEASE_KEEP=1 keeps the clone.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const { checkContents, publishDryRun } = require('./release/contents');
const { unreleasedNotes, hasVersion, tagOf } = require('./release/changelog');
const { createReport } = require('./lib/report');
const { makeClone, noteUncommitted, sh: clonedSh } = require('./lib/clone');
const report = createReport('test:release');
const { begin, check } = report;

const sh = (cwd, command, args, env = {}) =>
	clonedSh(cwd, command, args, { GITHUB_ACTIONS: '', GITHUB_REF_NAME: '', GITHUB_OUTPUT: '', GITHUB_REPOSITORY: '', ...env });

const tail = (text, lines = 25) => text.trim().split('\n').slice(-lines).join('\n');

const listed = (files, pattern) => files.filter((file) => pattern.test(file));

function checkShipped({ repo }) {
	begin('What npm publish --dry-run would ship');
	const build = sh(repo, 'npm', ['run', 'build']);
	if (!check('npm run build passes', build.code === 0, tail(build.output))) return;
	const pack = publishDryRun(repo);
	console.log(`  ${pack.id}: ${pack.entryCount} files, ${Math.round(pack.size / 1024)} kB`);
	const outside = pack.files.filter((file) => !file.startsWith('dist/'));
	check('outside dist/ only package.json, README.md, LICENSE.md and index.js', JSON.stringify(outside.sort()) === JSON.stringify(['LICENSE.md', 'README.md', 'index.js', 'package.json']), outside.join(', '));
	const problems = checkContents(repo, pack.files);
	check('every dist file is the output of a current source, every source has its output, the "n8n" block\'s files are in', problems.length === 0, problems.join('\n'));
	check('no test, script, example, bench or TypeScript source ships', listed(pack.files, /^(test|scripts|examples|bench)\/|(?<!\.d)\.ts$/).length === 0, listed(pack.files, /^(test|scripts|examples|bench)\/|(?<!\.d)\.ts$/).join(', '));
}

function checkRemovedSource({ repo }) {
	begin('A removed source file never reaches the tarball');
	const source = path.join(repo, 'nodes', 'HelloTech', 'helpers', 'obsoleteProbe.ts');
	const output = /^dist\/nodes\/HelloTech\/helpers\/obsoleteProbe\./;
	fs.writeFileSync(source, "export const obsoleteProbe = 'removed later';\n");
	sh(repo, 'npm', ['run', 'build']);
	const before = publishDryRun(repo).files;
	check('while its source exists, the probe is in the tarball (dist/…/obsoleteProbe.js, .d.ts, .js.map)', listed(before, output).length === 3, listed(before, output).join(', ') || 'not in the tarball');
	fs.rmSync(source);
	const stale = publishDryRun(repo).files;
	const problems = checkContents(repo, stale);
	check(
		"with the source removed and dist not rebuilt, the release's tarball check names the stale files",
		problems.length === 3 && problems.every((problem) => /obsoleteProbe\.(js|d\.ts|js\.map) is stale: its source nodes\/HelloTech\/helpers\/obsoleteProbe\.ts no longer exists/.test(problem)),
		problems.join('\n') || 'no problem named',
	);
	const build = sh(repo, 'npm', ['run', 'build']);
	const after = publishDryRun(repo).files;
	check('after npm run build the probe is gone from dist and from the tarball', build.code === 0 && listed(after, output).length === 0 && !fs.existsSync(path.join(repo, 'dist', 'nodes', 'HelloTech', 'helpers', 'obsoleteProbe.js')), listed(after, output).join(', '));
	check('and the tarball check passes', checkContents(repo, after).length === 0, checkContents(repo, after).join('\n'));
}

const release = (repo, args, env) => sh(repo, 'npm', ['run', 'release', '--', ...args], env);

/** `npm run release` with `args` exits non-zero and says `reason` (a RegExp). */
function expectRefused(repo, label, args, reason, env) {
	const result = release(repo, args, env);
	check(`refuses ${label}`, result.code !== 0 && /release refused: /.test(result.output) && reason.test(result.output), `exit ${result.code}; it said:\n${tail(result.output)}`);
	return result;
}

function checkRefusals(clone) {
	const { repo, git, base } = clone;
	const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
	begin('npm run release refuses a dirty or failing tree');
	fs.appendFileSync(path.join(repo, 'README.md'), '\nAn uncommitted line.\n');
	const dirty = expectRefused(repo, 'a changed file', ['patch'], /not clean[\s\S]*M README\.md/);
	check('and refuses it before building anything', !/clean build/.test(dirty.output), tail(dirty.output));
	git('checkout', '--', 'README.md');
	fs.writeFileSync(path.join(repo, 'notes.txt'), 'untracked\n');
	expectRefused(repo, 'an untracked file', ['patch', '--dry-run'], /not clean[\s\S]*\?\? notes\.txt/);
	fs.rmSync(path.join(repo, 'notes.txt'));

	const commitBroken = (file, change, message) => {
		fs.appendFileSync(path.join(repo, file), change);
		git('add', '-A');
		git('commit', '--quiet', '-m', message);
	};
	commitBroken('nodes/HelloTech/api.ts', "\nexport const releaseProbe: number = 'not a number';\n", 'a type error');
	expectRefused(repo, 'a tree whose build fails', ['patch', '--dry-run'], /the build failed/);
	git('reset', '--quiet', '--hard', base);

	commitBroken('nodes/HelloTech/api.ts', '\nexport var releaseProbe = 1;\n', "a lint error (no-var) that compiles");
	expectRefused(repo, "a tree that n8n's lint refuses", ['patch', '--dry-run'], /no-var[\s\S]*the lint failed/);
	git('reset', '--quiet', '--hard', base);

	fs.writeFileSync(path.join(repo, 'test', 'releaseProbe.test.js'), "test('a failing test', () => expect(1 + 1).toBe(3));\n");
	git('add', '-A');
	git('commit', '--quiet', '-m', 'a failing test');
	expectRefused(repo, 'a tree whose tests fail', ['patch', '--dry-run'], /releaseProbe\.test\.js[\s\S]*the tests failed/);
	git('reset', '--quiet', '--hard', base);

	git('checkout', '--quiet', '-b', 'topic');
	expectRefused(repo, 'a release from a branch other than main', ['patch', '--dry-run'], /made from main, and this is topic/);
	git('checkout', '--quiet', 'main');

	const ci = { GITHUB_ACTIONS: 'true', GITHUB_REF_NAME: tagOf(pkg.version) };
	expectRefused(repo, 'to publish a tag that is not package.json\'s version (publish workflow)', ['--ci'], new RegExp(`tag v9\\.9\\.9 is not ${tagOf(pkg.version).replace(/\./g, '\\.')}`), { ...ci, GITHUB_REF_NAME: 'v9.9.9' });
	expectRefused(repo, 'to publish from a repository package.json does not name (publish workflow)', ['--ci'], /is not github\.com\/someone-else\/a-fork/, { ...ci, GITHUB_REPOSITORY: 'someone-else/a-fork' });
}

function checkRelease(clone, tmp) {
	const { repo, git, base } = clone;
	begin('npm run release on a clean tree that passes');
	git('reset', '--quiet', '--hard', base);
	const before = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
	const notes = unreleasedNotes(fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8'));
	const leftover = path.join(repo, 'dist', 'nodes', 'HelloTech', 'Leftover.node.js');
	fs.mkdirSync(path.dirname(leftover), { recursive: true });
	fs.writeFileSync(leftover, '// a file an older build left behind\n');
	const [major, minor] = before.version.split('.').map(Number);
	const version = `${major}.${minor + 1}.0`;
	const result = release(repo, ['minor']);
	if (!check(`npm run release -- minor passes and tags ${tagOf(version)}`, result.code === 0 && result.output.includes(`${tagOf(version)} is ready`), tail(result.output))) return;
	check('it rebuilt dist from empty (a leftover file is gone)', !fs.existsSync(leftover));
	const after = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
	const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
	check(`package.json and package-lock.json say ${version}`, after.version === version && lock.version === version && lock.packages[''].version === version, `${after.version} / ${lock.version}`);
	const changelog = fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8');
	const today = new Date().toISOString().slice(0, 10);
	check(`CHANGELOG.md has the Unreleased notes under "## [${version}] - ${today}" and an empty Unreleased`, changelog.includes(`## [${version}] - ${today}\n\n${notes}\n`) && unreleasedNotes(changelog) === '', changelog.slice(0, 600));
	check(`HEAD is "Release ${tagOf(version)}", tagged ${tagOf(version)}, and the tree is clean`, git('log', '-1', '--format=%s') === `Release ${tagOf(version)}` && git('describe', '--exact-match', '--tags', 'HEAD') === tagOf(version) && git('status', '--porcelain') === '', git('log', '-3', '--format=%h %s %d'));
	check('the release commit changed only package.json, package-lock.json and CHANGELOG.md', git('diff', '--name-only', 'HEAD~1', 'HEAD').split('\n').sort().join(',') === 'CHANGELOG.md,package-lock.json,package.json', git('diff', '--stat', 'HEAD~1', 'HEAD'));

	begin('The publish workflow\'s check on that tag');
	const output = path.join(tmp, 'github-output');
	fs.writeFileSync(output, '');
	const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(after.repository.url)[1];
	const ci = release(repo, ['--ci'], { GITHUB_ACTIONS: 'true', GITHUB_REF_NAME: tagOf(version), GITHUB_REPOSITORY: repository, GITHUB_OUTPUT: output });
	check(`npm run release -- --ci passes on ${tagOf(version)}`, ci.code === 0 && /ready to publish/.test(ci.output), tail(ci.output));
	check('and hands the publish step the dist-tag latest', fs.readFileSync(output, 'utf8') === 'dist-tag=latest\n', fs.readFileSync(output, 'utf8'));
	check(`CHANGELOG.md has a section for ${version}`, hasVersion(changelog, version));
}

function main() {
	console.log('test:release: the release step on a clone of HEAD');
	noteUncommitted();
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hellotech-release-'));
	try {
		const clone = makeClone(tmp);
		checkShipped(clone);
		checkRemovedSource(clone);
		checkRefusals(clone);
		checkRelease(clone, tmp);
	} catch (error) {
		report.stopped(error);
	} finally {
		const ok = report.finish();
		if (process.env.HELLOTECH_RELEASE_KEEP === '1' || !ok) console.log(`  the clone is kept in ${tmp}`);
		else fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main();
