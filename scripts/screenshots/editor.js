'use strict';
/**
 * n8n's editor in Debian's Chromium, driven by playwright-core, for `npm run screenshots`: the few
 * things a picture needs (open a workflow, run it, open a node, search the nodes panel), with the
 * `data-test-id`s n8n's own end-to-end tests use.
 */
const { chromium } = require('playwright-core');

/** What Chromium needs on a machine with no network but loopback (no background calls home). */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

async function launchBrowser() {
	const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	try {
		return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
	} catch (error) {
		throw new Error(`Could not start Chromium at ${executablePath} (apt-get install -y chromium, or set CHROMIUM_PATH): ${error.message}`);
	}
}

/** The size every picture is taken at: a laptop's editor, readable when the README shrinks it. */
const VIEWPORT = { width: 1440, height: 860 };

class Editor {
	/**
	 * A page signed in through n8n's sign-in form as `owner` (n8n ties its login cookie to the
	 * browser that signed in, so the REST session's cookie cannot be reused).
	 */
	static async open(browser, baseUrl, session, owner) {
		const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light', locale: 'en-US', timezoneId: 'America/Los_Angeles' });
		const page = await context.newPage();
		// Generous: n8n's editor is a large bundle, and the machine may be busy.
		page.setDefaultTimeout(180_000);
		page.setDefaultNavigationTimeout(180_000);
		await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(owner.email);
		await page.locator('[data-test-id="password"] input').fill(owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((url) => !url.pathname.includes('/signin'));
		return new Editor(page, baseUrl, session);
	}

	constructor(page, baseUrl, session) {
		this.page = page;
		this.viewport = VIEWPORT;
		this.baseUrl = baseUrl;
		this.session = session;
	}

	byTestId(id) {
		return this.page.locator(`[data-test-id="${id}"]`);
	}

	node(name) {
		return this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
	}

	/** Creates `workflow` through n8n's REST API and opens it on the canvas; resolves its id. */
	async openWorkflow(workflow) {
		const { id } = await this.session.request('POST', '/workflows', workflow);
		await this.page.goto(`${this.baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
		await this.node(workflow.nodes[0].name).waitFor();
		await this.settle();
		return id;
	}

	/** Lets the canvas finish drawing and closes what n8n pops up over it. */
	async settle() {
		await this.page.waitForLoadState('networkidle').catch(() => {});
		await this.dismissPopups();
		await this.fitView();
	}

	/** Closes n8n's toasts ("Workflow executed successfully"). */
	async dismissPopups() {
		for (const button of await this.page.locator('.el-notification__closeBtn').all()) await button.click({ timeout: 2_000 }).catch(() => {});
		await this.page.waitForTimeout(300);
	}

	async fitView() {
		const fit = this.byTestId('zoom-to-fit');
		if (await fit.count()) await fit.first().click();
		await this.page.waitForTimeout(400);
	}

	/** Presses Execute workflow and waits until every node named in `nodes` (not pinned ones: they show a pin) shows it succeeded. */
	async execute(nodes) {
		await this.byTestId('execute-workflow-button').first().click();
		for (const name of nodes) await this.node(name).locator('[data-test-id="canvas-node-status-success"]').waitFor({ timeout: 120_000 });
		await this.page.waitForTimeout(500);
		await this.dismissPopups();
	}

	/** A node's details (NDV), when open. */
	ndv() {
		return this.page.locator('[data-test-id="ndv"]:visible');
	}

	/** Opens a node's details (NDV) and waits for its parameters. */
	async openNode(name) {
		await this.node(name).dblclick();
		await this.ndv().first().waitFor();
		await this.page.waitForTimeout(800);
	}

	/** Closes a node's details, if open. */
	async closeNode() {
		if (await this.ndv().count()) {
			await this.page.keyboard.press('Escape');
			await this.ndv().first().waitFor({ state: 'hidden' });
		}
	}

	/** Opens the nodes panel and types `text` into its search. */
	async searchNodes(text) {
		await this.byTestId('node-creator-plus-button').first().click();
		const search = this.byTestId('node-creator-search-bar');
		await search.waitFor();
		await search.fill(text);
		await this.page.waitForTimeout(600);
	}

	async screenshot(options = {}) {
		await this.page.mouse.move(0, 0); // no hover state in the picture
		return this.page.screenshot({ type: 'png', ...options });
	}
}

module.exports = { Editor, launchBrowser, CHROMIUM_ARGS, VIEWPORT };
