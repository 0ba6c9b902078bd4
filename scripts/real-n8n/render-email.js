#!/usr/bin/env node
'use strict';
/**
 * Renders an HTML email to a PNG in headless Chromium, as a mail client shows it: the pictures of
 * the order report (docs/images/order-report.png, the whole email, and order-report-top.png, its
 * first screen, on the README) are made this way by `npm run screenshots`
 * (scripts/screenshots/pictures.js) from the email the example workflow sends.
 *
 * Chromium is Debian's (`apt-get install -y chromium`, /usr/bin/chromium; $CHROMIUM_PATH moves
 * it), driven by playwright-core, which downloads no browser of its own. The page gets no
 * network and no JavaScript, as in a mail client.
 *
 * On its own: node scripts/real-n8n/render-email.js <message.eml | body.html> <picture.png>
 */
const fs = require('fs');
const path = require('path');

const { launchBrowser } = require('../screenshots/editor');

/**
 * `html` as a PNG (a Buffer), rendered on a new page of `browser`, `width` CSS pixels wide, at
 * `scale` times the pixel density (1.5: sharp in a README, a third the size of 2): the whole
 * message, or its first `height` pixels.
 */
async function emailPng(browser, html, { width = 800, scale = 1.5, height } = {}) {
	// A clip stops at the viewport's edge: the viewport is as tall as the picture of a first screen.
	const page = await browser.newPage({ viewport: { width, height: height ?? 600 }, deviceScaleFactor: scale, javaScriptEnabled: false });
	try {
		await page.route('**/*', (route) => route.abort());
		await page.setContent(html, { waitUntil: 'load' });
		return await page.screenshot(height ? { type: 'png', clip: { x: 0, y: 0, width, height } } : { type: 'png', fullPage: true });
	} finally {
		await page.close();
	}
}

/** Writes `html` as a PNG to `file` (emailPng's options), in a Chromium of its own (a saved message's picture). */
async function renderEmailPng(html, file, options) {
	const browser = await launchBrowser();
	try {
		const png = await emailPng(browser, html, options);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, png);
	} finally {
		await browser.close();
	}
}

/** The HTML body of a saved message (.eml), or the file itself when it is HTML. */
async function htmlOf(file) {
	const content = fs.readFileSync(file);
	if (!/\.eml$/i.test(file)) return content.toString('utf8');
	const { simpleParser } = require('mailparser');
	const message = await simpleParser(content);
	if (!message.html) throw new Error(`${file} has no HTML body`);
	return message.html;
}

module.exports = { emailPng, htmlOf };

if (require.main === module) {
	const [input, output] = process.argv.slice(2);
	if (!input || !output) {
		console.error('usage: node scripts/real-n8n/render-email.js <message.eml | body.html> <picture.png>');
		process.exit(2);
	}
	htmlOf(input)
		.then((html) => renderEmailPng(html, path.resolve(output)))
		.then(() => console.log(`rendered ${input} to ${output}`))
		.catch((error) => {
			console.error(error.message);
			process.exitCode = 1;
		});
}
