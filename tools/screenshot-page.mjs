// Takes the manual's pictures of a running UI page (README.md, docs/): `node tools/screenshot-page.mjs <url> <file.png> [dark]`
// (Chromium of the machine, 1400 px wide, full page, once every panel of a dashboard has drawn). Used by hand
// on the quick start's demo: `npx etl backfill all --from <3 weeks ago> && npx etl scheduler`, then
// `node tools/screenshot-page.mjs http://127.0.0.1:8080/dashboards/business-metrics docs/screenshots/demo-dashboard.png`.
import { chromium } from 'playwright-core';

const [url, file, scheme] = process.argv.slice(2);
if (url === undefined || file === undefined) {
  process.stderr.write('usage: node tools/screenshot-page.mjs <url> <file.png> [dark]\n');
  process.exit(2);
}
const DRAWN = `document.body.dataset.dashState === 'ready' && document.querySelectorAll('article.panel[data-state="loading"]').length === 0`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: scheme === 'dark' ? 'dark' : 'light' });
  await page.goto(url, { waitUntil: 'networkidle', timeout: 30_000 });
  for (let i = 0; i < 200 && !(await page.evaluate(DRAWN)); i++) await page.waitForTimeout(100);
  await page.screenshot({ path: file, fullPage: true });
  process.stdout.write(`${file}\n`);
} finally {
  await browser.close();
}
