'use strict';
/**
 * What the published tarball may hold: package.json, the README, the license, index.js (the
 * package's `main`: the layout the project keeps; it only requires dist/ files), and dist/, where
 * every file is the build output of a source that exists now (so a source removed since some
 * older build cannot ship from it) and every source has its output (so nothing is missing).
 *
 *   nodes/X/Y.ts      → dist/nodes/X/Y.js, .d.ts, .js.map
 *   nodes/X/Y.json    → dist/nodes/X/Y.json   (codex files, compiled in by tsconfig)
 *   nodes/X/y.svg     → dist/nodes/X/y.svg    (icons, copied by gulp)
 * and the same under credentials/.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT_FILES = ['package.json', 'README.md', 'LICENSE.md', 'index.js'];
const SOURCE_DIRS = ['nodes', 'credentials'];
const COMPILED = /\.(js|d\.ts|js\.map)$/;
const COPIED = /\.(json|svg|png)$/;

/** The source a dist/ file was made from, or undefined when it cannot come from any source. */
function sourceOf(distFile) {
	if (!distFile.startsWith('dist/')) return undefined;
	const rel = distFile.slice('dist/'.length);
	if (!SOURCE_DIRS.some((dir) => rel.startsWith(`${dir}/`))) return undefined;
	if (COMPILED.test(rel)) return rel.replace(COMPILED, '.ts');
	if (COPIED.test(rel)) return rel;
	return undefined;
}

/** The dist/ file each source must produce. */
function outputOf(sourceFile) {
	return `dist/${sourceFile.endsWith('.ts') ? sourceFile.replace(/\.ts$/, '.js') : sourceFile}`;
}

function walk(root, dir) {
	const full = path.join(root, dir);
	if (!fs.existsSync(full)) return [];
	return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
		const rel = `${dir}/${entry.name}`;
		return entry.isDirectory() ? walk(root, rel) : [rel];
	});
}

/** The package's sources: TypeScript (not declarations), codex JSON and icons. */
function listSources(root) {
	return SOURCE_DIRS.flatMap((dir) => walk(root, dir)).filter(
		(file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || COPIED.test(file),
	);
}

/**
 * Problems with a tarball's file list (paths relative to the package root), or [] when it is
 * exactly what should ship.
 */
function checkContents(root, files) {
	const problems = [];
	const listed = new Set(files);
	for (const file of files) {
		if (ROOT_FILES.includes(file)) continue;
		if (!file.startsWith('dist/')) {
			problems.push(`${file} is outside dist/ (only dist/, ${ROOT_FILES.join(', ')} may ship)`);
			continue;
		}
		const source = sourceOf(file);
		if (!source) problems.push(`${file} is not the build output of any source under ${SOURCE_DIRS.join('/ or ')}/`);
		else if (!fs.existsSync(path.join(root, source))) problems.push(`${file} is stale: its source ${source} no longer exists`);
	}
	for (const file of ROOT_FILES) if (!listed.has(file)) problems.push(`${file} is missing`);
	for (const source of listSources(root)) {
		if (!listed.has(outputOf(source))) problems.push(`${outputOf(source)} is missing (the output of ${source})`);
	}
	for (const file of requiredByIndex(root)) {
		if (!listed.has(file)) problems.push(`${file}, required by index.js, is missing`);
	}
	const { n8n = {} } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	for (const file of [...(n8n.nodes ?? []), ...(n8n.credentials ?? [])]) {
		if (!listed.has(file)) problems.push(`${file}, named in package.json's "n8n" block, is missing`);
	}
	return problems;
}

/** The package files index.js requires (`require('./dist/…')`), so the entry point cannot point at nothing. */
function requiredByIndex(root) {
	const file = path.join(root, 'index.js');
	if (!fs.existsSync(file)) return [];
	const text = fs.readFileSync(file, 'utf8');
	return [...text.matchAll(/require\(\s*['"]\.\/([^'"]+)['"]\s*\)/g)].map((match) => match[1]);
}

/**
 * What `npm publish --dry-run` would ship from `root`: { files, size, entryCount }. Nothing is
 * built first: this lists dist/ as it is.
 */
function publishDryRun(root) {
	const result = spawnSync('npm', ['publish', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: root,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.status !== 0) throw new Error(`npm publish --dry-run failed (exit ${result.status}):\n${result.stderr}`);
	const parsed = JSON.parse(result.stdout);
	const info = parsed.files ? parsed : Object.values(parsed)[0];
	return { files: info.files.map((file) => file.path), size: info.size, entryCount: info.entryCount, id: info.id };
}

module.exports = { checkContents, publishDryRun, listSources, sourceOf, outputOf, ROOT_FILES };
