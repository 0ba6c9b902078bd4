#!/usr/bin/env node
'use strict';
/**
 * npm run release — the one way this package is released. It refuses unless the tree is clean
 * and a clean build, n8n's strict lint and the tests pass, dist/ holds no file without a source,
 * and the tarball holds only dist/, README, LICENSE, package.json and index.js.
 *
 *   npm run release -- <x.y.z | patch | minor | major> [--push] [--dry-run]
 *       On main, by a maintainer: the checks, then the version into package.json and
 *       package-lock.json, CHANGELOG.md's Unreleased notes under that version, a "Release vX"
 *       commit and an annotated tag vX. --push pushes the commit and the tag (the tag starts
 *       .github/workflows/publish.yml); --dry-run stops after the checks and changes nothing.
 *   npm run release -- --ci
 *       In the publish workflow, on the tag: the tag must be v<package.json version> and
 *       CHANGELOG.md must have that version; the checks; then it writes the npm dist-tag
 *       (latest, or next for a prerelease) to $GITHUB_OUTPUT for the publish step.
 *
 * The repository's .npmrc turns npm's lifecycle scripts off, so nothing here relies on one
 * (no prepublishOnly): every check runs from this script.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const { checkContents, publishDryRun } = require('./release/contents');
const { unreleasedNotes, hasVersion, releaseChangelog, tagOf } = require('./release/changelog');

const ROOT = path.resolve(__dirname, '..');
const RELEASE_BRANCH = 'main';

class Refused extends Error {}
const refuse = (message) => {
	throw new Refused(message);
};

function run(command, args, { quiet = false } = {}) {
	return spawnSync(command, args, {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
		maxBuffer: 64 * 1024 * 1024,
	});
}

function git(...args) {
	const result = run('git', args, { quiet: true });
	if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
	return result.stdout.trim();
}

const readPackage = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readChangelog = () => fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');

function step(title) {
	console.log(`\n== release: ${title}`);
}

function requireCleanTree(when) {
	const changes = git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean);
	if (changes.length) {
		const shown = changes.slice(0, 10).map((line) => `    ${line}`).join('\n');
		refuse(`the working tree is not clean${when ? ` ${when}` : ''}: commit or remove these first\n${shown}${changes.length > 10 ? `\n    … and ${changes.length - 10} more` : ''}`);
	}
}

/** Build from an empty dist, lint, test, and check what the tarball would hold. */
function checks() {
	step('clean build (npm run build)');
	if (run('npm', ['run', 'build']).status !== 0) refuse('the build failed');
	step("n8n's strict community lint (npm run lint)");
	if (run('npm', ['run', 'lint']).status !== 0) refuse('the lint failed');
	step('the tests (jest)');
	if (run('npx', ['--no-install', 'jest', '--ci']).status !== 0) refuse('the tests failed');
	requireCleanTree('after the build and the tests (they changed tracked files)');
	step('what npm publish would ship');
	const pack = publishDryRun(ROOT);
	const problems = checkContents(ROOT, pack.files);
	if (problems.length) refuse(`the tarball is not what should ship:\n${problems.map((problem) => `    - ${problem}`).join('\n')}`);
	console.log(`  ${pack.id}: ${pack.entryCount} files, ${Math.round(pack.size / 1024)} kB: dist/ (each file from a current source), README.md, LICENSE.md, package.json`);
}

function nextVersion(current, wanted) {
	const parts = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?$/.exec(current);
	if (!parts) refuse(`package.json's version "${current}" is not x.y.z`);
	const [major, minor, patch] = parts.slice(1).map(Number);
	const version =
		wanted === 'major' ? `${major + 1}.0.0` : wanted === 'minor' ? `${major}.${minor + 1}.0` : wanted === 'patch' ? `${major}.${minor}.${patch + 1}` : wanted;
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version ?? '')) refuse(`"${wanted}" is not a version (x.y.z) nor patch, minor or major`);
	const order = (v) => v.split(/[.-]/).slice(0, 3).map(Number);
	const [a, b] = [order(version), order(current)];
	const greater = a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2];
	if (!greater) refuse(`${version} is not after the current version ${current}`);
	return version;
}

function localRelease(args) {
	const wanted = args.find((arg) => !arg.startsWith('--'));
	if (!wanted) refuse('say which version: npm run release -- <x.y.z | patch | minor | major> [--push] [--dry-run]');
	const dryRun = args.includes('--dry-run');
	const push = args.includes('--push');

	step('the tree');
	requireCleanTree('');
	const branch = git('rev-parse', '--abbrev-ref', 'HEAD');
	if (branch !== RELEASE_BRANCH) refuse(`releases are made from ${RELEASE_BRANCH}, and this is ${branch}`);
	const pkg = readPackage();
	const version = nextVersion(pkg.version, wanted);
	if (git('tag', '--list', tagOf(version))) refuse(`the tag ${tagOf(version)} already exists`);
	if (!unreleasedNotes(readChangelog())) refuse('CHANGELOG.md has nothing under "## [Unreleased]": say what this release changes first');
	console.log(`  ${pkg.name} ${pkg.version} → ${version}, on ${branch}, clean`);

	checks();

	if (dryRun) {
		console.log(`\nrelease: ${version} would be released (--dry-run: nothing changed)`);
		return;
	}
	step(`version ${version}, CHANGELOG.md, commit and tag ${tagOf(version)}`);
	if (run('npm', ['version', version, '--no-git-tag-version', '--ignore-scripts'], { quiet: true }).status !== 0) throw new Error('npm version failed');
	const date = new Date().toISOString().slice(0, 10);
	fs.writeFileSync(path.join(ROOT, 'CHANGELOG.md'), releaseChangelog(readChangelog(), version, date));
	git('add', 'package.json', 'package-lock.json', 'CHANGELOG.md');
	git('commit', '--quiet', '-m', `Release ${tagOf(version)}`);
	git('tag', '--annotate', tagOf(version), '-m', `${pkg.name} ${version}`);
	console.log(`  committed "Release ${tagOf(version)}" and tagged ${tagOf(version)}`);
	if (push) {
		step('push');
		if (run('git', ['push', '--atomic', 'origin', `HEAD:${RELEASE_BRANCH}`, tagOf(version)]).status !== 0) refuse('git push failed; push the commit and the tag by hand');
		console.log(`\nrelease: pushed ${tagOf(version)}; the Publish workflow publishes it to npm with provenance`);
	} else {
		console.log(`\nrelease: ${tagOf(version)} is ready. Push it to publish: git push --atomic origin ${RELEASE_BRANCH} ${tagOf(version)}`);
	}
}

function ciRelease() {
	step('the tag');
	const pkg = readPackage();
	const tag = process.env.GITHUB_REF_NAME;
	if (!tag) refuse('--ci runs in the publish workflow, on a tag (GITHUB_REF_NAME is not set)');
	if (tag !== tagOf(pkg.version)) refuse(`the tag ${tag} is not ${tagOf(pkg.version)}, package.json's version`);
	const repository = process.env.GITHUB_REPOSITORY;
	const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url ?? '';
	if (repository && !url.replace(/\.git$/, '').endsWith(`github.com/${repository}`)) {
		refuse(`package.json's repository (${url}) is not github.com/${repository}, where this workflow runs: npm would refuse the provenance`);
	}
	if (!hasVersion(readChangelog(), pkg.version)) refuse(`CHANGELOG.md has no section for ${pkg.version}`);
	requireCleanTree('');
	console.log(`  ${pkg.name} ${pkg.version}, tag ${tag}, clean`);

	checks();

	const distTag = pkg.version.includes('-') ? 'next' : 'latest';
	if (process.env.GITHUB_OUTPUT) fs.appendFileSync(process.env.GITHUB_OUTPUT, `dist-tag=${distTag}\n`);
	console.log(`\nrelease: ${pkg.name} ${pkg.version} is ready to publish with the dist-tag ${distTag}`);
}

try {
	const args = process.argv.slice(2);
	if (args.includes('--ci')) ciRelease();
	else localRelease(args);
} catch (error) {
	console.error(`\nrelease refused: ${error.message}`);
	process.exitCode = 1;
}
