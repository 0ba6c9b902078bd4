'use strict';
/**
 * CHANGELOG.md as the release step keeps it (Keep a Changelog): notes gather under
 * "## [Unreleased]"; a release moves them under "## [x.y.z] - date" and updates the compare
 * links at the bottom.
 */

/** The git tag of a version; .github/workflows/publish.yml runs on tags of this form (v*.*.*). */
const tagOf = (version) => `v${version}`;

const UNRELEASED = /^## \[Unreleased\][^\n]*\n/m;
// The next version's heading ("## [1.2.0] - …", or "## 0.1.0 - never published"), or the links.
const NEXT_SECTION = /^## |^\[[^\]]+\]: /m;

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

/**
 * The version the Unreleased compare link starts from ("[Unreleased]: …/compare/v0.1.0...HEAD"),
 * or undefined before the first release, when the link shows the commits ("…/commits/main").
 */
function previousVersion(text) {
	return /^\[Unreleased\]: .*\/compare\/v(\S+?)\.\.\.HEAD[ \t]*$/m.exec(text)?.[1];
}

/** The Unreleased link and the repository it points into, whether it compares or shows commits. */
const UNRELEASED_LINK = /^\[Unreleased\]: (.*?)\/(?:compare\/v\S+?\.\.\.HEAD|commits\/\S+)[ \t]*$/m;

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
	const link = UNRELEASED_LINK.exec(text);
	if (link) {
		const base = link[1];
		// The first release links its tag; each later one, what changed since the one before.
		const own = previous ? `${base}/compare/v${previous}...v${version}` : `${base}/releases/tag/v${version}`;
		result = result.replace(link[0], `[Unreleased]: ${base}/compare/v${version}...HEAD\n[${version}]: ${own}`);
	}
	return result;
}

module.exports = { tagOf, unreleasedNotes, hasVersion, previousVersion, releaseChangelog };
