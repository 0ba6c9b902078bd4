// The build's two steps around tsc (package.json "build": gulp clean && tsc && gulp build:icons):
// - clean empties dist/ first, so a file removed from the source never ships from an old build;
// - build:icons copies the node and credential icons next to the compiled code in dist/, where
//   n8n resolves `icon: 'file:…'` at load time (tsc copies no assets).
// `npm run dev` builds into n8n's folder instead: HELLOTECH_OUT_DIR names that dist, and
// watch:icons copies an icon again whenever it changes.
const fs = require('fs');
const path = require('path');
const { task, src, dest, watch } = require('gulp');

const ICONS = ['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'];
const outDir = () => path.resolve(process.env.HELLOTECH_OUT_DIR || 'dist');

task('clean', async () => fs.rmSync(outDir(), { recursive: true, force: true }));

task('build:icons', () => src(ICONS, { base: '.', encoding: false }).pipe(dest(outDir())));

task('watch:icons', () => watch(ICONS, { ignoreInitial: false }, task('build:icons')));
