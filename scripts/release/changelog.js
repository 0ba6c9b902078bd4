'use strict';
/**
 * CHANGELOG.md as the release step keeps it (Keep a Changelog): notes gather under
 * "## [Unreleased]"; a release moves them under "## [x.y.z] - date" and updates the compare
 * links at the bottom.
 */

/** The git tag of a version; .github/workflows/publish.yml runs on tags of this form (v*.*.*). */
const tagOf = (version) => `v${version}`;

const UNRELEASED = /^## \[Unreleased\][^\n]*\n/m;
const NEXT_SECTION = /^## \[|^\[[^\]]+\]: /m;

function unreleasedNotes(text) {
	const match = UNRELEASED.exec(text);
	if (!match) return undefined;
	const rest = text.slice(match.index + match[0].length);
	const end = rest.search(NEXT_SECTION);
	return (end < 0 ? rest : rest.slice(0, end)).trim();
}

const escape = (value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function hasVersion(text, version) {
	return new RegExp(`^## \\[${escape(version)}\\]`, 'm').test(text);
}

/** The version the Unreleased compare link starts from ("[Unreleased]: …/compare/v0.1.0...HEAD"). */
function previousVersion(text) {
	return /^\[Unreleased\]: .*\/compare\/v(\S+?)\.\.\.HEAD[ \t]*$/m.exec(text)?.[1];
}

/** The changelog with the Unreleased notes moved under `version`, dated `date` (YYYY-MM-DD). */
function releaseChangelog(text, version, date) {
	const notes = unreleasedNotes(text);
	if (!notes) throw new Error('CHANGELOG.md has no notes under "## [Unreleased]"');
	if (hasVersion(text, version)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
	const match = UNRELEASED.exec(text);
	const rest = text.slice(match.index + match[0].length);
	const end = rest.search(NEXT_SECTION);
	const after = end < 0 ? '' : rest.slice(end);
	let result = `${text.slice(0, match.index)}## [Unreleased]\n\n## [${version}] - ${date}\n\n${notes}\n\n${after}`;
	const previous = previousVersion(text);
	const link = /^\[Unreleased\]: (.*)\/compare\/v\S+?\.\.\.HEAD[ \t]*$/m.exec(text);
	if (link) {
		const base = link[1];
		result = result.replace(
			link[0],
			`[Unreleased]: ${base}/compare/v${version}...HEAD\n[${version}]: ${base}/compare/v${previous}...v${version}`,
		);
	}
	return result;
}

module.exports = { tagOf, unreleasedNotes, hasVersion, previousVersion, releaseChangelog };
