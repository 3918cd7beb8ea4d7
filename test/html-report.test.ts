import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../src/reporters/html.js';
import { hostileReport } from './fixtures/hostile-report.js';

// Debian's Chromium, launched the way this closed network needs (no background networking).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('HTML report in a real browser', () => {
  let browser: Browser;
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-html-'));

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders hostile evidence as text: no script runs, nothing is fetched, it prints to PDF', async () => {
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtml(hostileReport()));
    const page = await browser.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`file://${file}`);
    expect(dialogs).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:'))).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('.finding').count()).toBe(2);
    expect(await page.locator('svg path').count()).toBe(1);
    expect(await page.textContent('body')).toContain('<script>alert("pwn")</script>');
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(5_000);
    await page.screenshot({ path: path.join(dir, 'report.png'), fullPage: false });
    await page.close();
  });
});
