// Copies the node and credential icons next to the compiled code in dist/,
// where n8n resolves `icon: 'file:…'` at load time. tsc copies no assets.
const path = require('path');
const { task, src, dest } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	),
);
