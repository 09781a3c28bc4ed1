/**
 * The web archive in a real browser: Debian's Chromium (apt-get install chromium fonts-noto-cjk;
 * .ci/run installs it) driven by playwright-core, against the real server over the real Redis
 * filled with the devset. Screenshots go to tests/artifacts/ (not committed).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/server.ts';
import { parseFeed } from '../../src/feeds/parse.ts';
import { cleanup, openTestRedis, testPrefix } from '../helpers/redis.ts';
import { startArchive } from '../helpers/web.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
/** A week after the devset's newest article, so that the chart has something to show. */
const NOW = Date.parse('2026-04-20T00:00:00Z');
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium && !process.env.CI)('the web archive in Chromium', () => {
  const prefix = testPrefix('web-browser');
  let redis: Redis;
  let server: RunningServer;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`no ${CHROMIUM}: apt-get install -y chromium fonts-noto-cjk`);
    mkdirSync(ARTIFACTS, { recursive: true });
    redis = await openTestRedis();
    ({ server } = await startArchive(redis, prefix, { now: () => NOW }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (redis) {
      await cleanup(redis, prefix);
      redis.disconnect();
    }
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    return page;
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('loads the timeline, filters by a company, opens an event, switches to Japanese and follows the Atom link', async () => {
    const page = await open();
    const home = await page.goto(server.url);
    expect(home?.status()).toBe(200);
    expect(await page.locator('h1').textContent()).toBe('Timeline');
    expect(await page.locator('ol.events > li').count()).toBe(20);
    expect(await page.locator('figure.chart svg polyline').count()).toBeGreaterThan(0);
    await shot(page, 'timeline-en');

    // Filter by a company with the form, as a visitor would.
    await page.selectOption('select[name="company"]', 'softbank');
    await Promise.all([
      page.waitForURL(/company=softbank/),
      page.click('form.filters button[type="submit"]'),
    ]);
    const filtered = page.locator('ol.events > li');
    expect(await filtered.count()).toBeGreaterThan(0);
    for (const item of await filtered.all())
      expect(await item.locator('ul.companies a[href="/companies/softbank"]').count()).toBe(1);
    await shot(page, 'timeline-softbank');

    // Open the first event.
    const first = filtered.first().locator('h3 a');
    const headline = (await first.textContent()) ?? '';
    await Promise.all([page.waitForURL(/\/events\/e-/), first.click()]);
    expect(await page.locator('h1').textContent()).toBe(headline);
    expect(await page.locator('ol.articles > li').count()).toBeGreaterThan(0);
    expect(await page.locator('dl.facts').textContent()).toContain('SoftBank');
    await shot(page, 'event-en');

    // Switch to Japanese: the same event, in Japanese.
    await Promise.all([page.waitForURL(/lang=ja/), page.click('a.lang-switch')]);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('h2').first().textContent()).toBe('関連と判断した理由');
    expect(await page.locator('dl.facts').textContent()).toContain('ソフトバンク');
    await shot(page, 'event-ja');

    // The Japanese timeline, then its Atom feed link.
    await Promise.all([page.waitForURL(/\/\?lang=ja$/), page.click('header nav a:first-child')]);
    expect(await page.locator('h1').textContent()).toBe('タイムライン');
    await shot(page, 'timeline-ja');
    const atomHref = await page.locator('footer a', { hasText: 'Atom' }).getAttribute('href');
    expect(atomHref).toBe('/feed.atom');
    const atom = await page.context().request.get(new URL(atomHref!, page.url()).href);
    expect(atom.status()).toBe(200);
    expect(atom.headers()['content-type']).toContain('application/atom+xml');
    const feed = await parseFeed(
      await atom.text(),
      { url: `${server.url}/feed.atom`, name: 'archive', lang: 'ja' },
      { now: new Date(NOW), maxItems: 100, charset: 'utf-8' },
    );
    expect(feed.format).toBe('atom');
    expect(feed.entries.length).toBeGreaterThan(0);
    // Its first entry's link is an event page that opens.
    const entryUrl = feed.entries[0]!.item.url;
    expect(entryUrl).toMatch(/\/events\/e-/);
    expect((await page.goto(entryUrl))?.status()).toBe(200);

    expect(problems).toEqual([]);
  }, 120_000);
});
