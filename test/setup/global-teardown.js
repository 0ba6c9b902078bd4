'use strict';
// Removes the run's temp folder (see global-setup.js), whether the tests passed or not.

module.exports = async () => {
	const run = globalThis.__HELLOTECH_JEST_RUN__;
	if (!run) return;
	for (const [name, value] of Object.entries(run.previous)) {
		if (value === undefined) delete process.env[name];
		else process.env[name] = value;
	}
	run.remove();
	process.removeListener('exit', run.remove);
	delete globalThis.__HELLOTECH_JEST_RUN__;
};
