#!/usr/bin/env node
'use strict';
/**
 * Renders an HTML email to a PNG in headless Chromium, as a mail client shows it: the pictures of
 * the order report (docs/images/order-report.png, the whole email, and order-report-top.png, its
 * first screen, on the README) are made this way from the email test:n8n receives
 * (`HELLOTECH_REPORT_PNG=docs/images/order-report.png npm run test:n8n`).
 *
 * Chromium is Debian's (`apt-get install -y chromium`, /usr/bin/chromium; $CHROMIUM_PATH moves
 * it), driven by playwright-core, which downloads no browser of its own. The page gets no
 * network and no JavaScript, as in a mail client.
 *
 * On its own: node scripts/real-n8n/render-email.js <message.eml | body.html> <picture.png>
 */
const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps trying Google's hosts on a closed network.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Writes `html` as a PNG, `width` CSS pixels wide, at `scale` times the pixel density (1.5: sharp
 * in a README, a third the size of 2): the whole message, or its first `height` pixels.
 */
async function renderEmailPng(html, file, { width = 800, scale = 1.5, height } = {}) {
	if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
	try {
		const page = await browser.newPage({ viewport: { width, height: 600 }, deviceScaleFactor: scale, javaScriptEnabled: false });
		await page.route('**/*', (route) => route.abort());
		await page.setContent(html, { waitUntil: 'load' });
		fs.mkdirSync(path.dirname(file), { recursive: true });
		await page.screenshot(height ? { path: file, clip: { x: 0, y: 0, width, height } } : { path: file, fullPage: true });
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

module.exports = { renderEmailPng, htmlOf };

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
