'use strict';
/**
 * A clone of this repository's committed HEAD in a temporary folder, on a branch named main,
 * with this checkout's node_modules linked in (no second install): the end-to-end scripts try
 * the release step and `npm run dev` there, where they may change files freely.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');

function sh(cwd, command, args, env = {}) {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } });
	return { code: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

function makeClone(tmp) {
	const repo = path.join(tmp, 'repo');
	const clone = sh(tmp, 'git', ['clone', '--quiet', ROOT, repo]);
	if (clone.code !== 0) throw new Error(`git clone failed: ${clone.output}`);
	const git = (...args) => {
		const result = sh(repo, 'git', args);
		if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.output}`);
		return result.output.trim();
	};
	git('checkout', '--quiet', '-B', 'main');
	git('config', 'user.name', 'n8n-nodes-hellotech test');
	git('config', 'user.email', 'test@example.com');
	// This checkout's packages, linked in; a link is not the node_modules/ folder .gitignore names.
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'));
	fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), '\n/node_modules\n');
	return { repo, git, base: git('rev-parse', 'HEAD') };
}

/** Says so when this checkout has changes the clone (of the committed HEAD) does not. */
function noteUncommitted() {
	if (sh(ROOT, 'git', ['status', '--porcelain']).output.trim()) console.log('  (this checkout has uncommitted changes; the clone tests the committed HEAD)');
}

module.exports = { makeClone, noteUncommitted, sh, ROOT };
