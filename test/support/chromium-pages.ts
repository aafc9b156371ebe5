// The machine's Chromium for the UI's browser tests (playwright-core): launched headless, a 1400 px page that
// fails the test on a page error, and a poll of an expression (page.waitForFunction evaluates a text with eval,
// which the UI's CSP forbids; page.evaluate does not).
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A 1400 x 900 page in `colorScheme`; an uncaught error in it fails the test. */
export async function newUiPage(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme });
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

/** Polls `expression` in the page until it is truthy. */
export async function waitFor(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`still false after ${timeoutMs} ms: ${expression}`);
    await page.waitForTimeout(50);
  }
}
