'use strict';
/**
 * The check list the end-to-end scripts print (test:release, test:dev): sections of named checks,
 * each ok or FAIL with what was seen, and a summary that sets the exit code.
 */
function createReport(title) {
	const results = [];
	let section = '';
	const started = Date.now();
	return {
		begin(name) {
			section = name;
			console.log(`\n== ${name}`);
		},
		check(label, pass, detail) {
			results.push({ section, label, pass: Boolean(pass) });
			const more = !pass && detail ? `\n      ${String(detail).trim().replace(/\n/g, '\n      ')}` : '';
			console.log(`  ${pass ? 'ok  ' : 'FAIL'} ${label}${more}`);
			return Boolean(pass);
		},
		/** Records a run that stopped before its checks were done. */
		stopped(error) {
			results.push({ section, label: `stopped: ${error.message}`, pass: false });
			console.log(`\n  FAIL stopped: ${error.stack ?? error.message}`);
		},
		/** Prints the summary; true when every check passed (and there was at least one). */
		finish() {
			console.log(`\n== Summary (${Math.round((Date.now() - started) / 1000)} s)`);
			for (const name of [...new Set(results.map((result) => result.section))]) {
				const mine = results.filter((result) => result.section === name);
				const bad = mine.filter((result) => !result.pass);
				console.log(`  ${bad.length ? 'FAIL' : 'ok  '} ${name}: ${mine.length - bad.length}/${mine.length} checks passed`);
				for (const result of bad) console.log(`         - ${result.label.split('\n')[0]}`);
			}
			const failed = results.filter((result) => !result.pass).length;
			const ok = failed === 0 && results.length > 0;
			console.log(ok ? `\n${title} passed: ${results.length} checks` : `\n${title} FAILED: ${failed} of ${results.length} checks failed`);
			if (!ok) process.exitCode = 1;
			return ok;
		},
	};
}

module.exports = { createReport };
