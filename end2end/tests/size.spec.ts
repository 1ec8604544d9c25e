// What a page makes the browser download before it is interactive: the WebAssembly and its
// JavaScript loader from the release build (target/site/pkg), measured as the server sends them
// (brotli, quality 11, as cargo-leptos --precompress writes them). ECharts is vendored, loaded
// only on pages with charts, and reported apart. The sizes are deterministic for one build, so
// they are a test rather than a benchmark; docs/performance.md has the figures and the history.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { expect, Page, test } from '@playwright/test';
import { signInAs } from './support';

const KB = 1000;
// Issue 4 item 9: the WebAssembly under 200 KB brotli, ECharts excluded.
const wasmGoal = 200 * KB;
// Today's build plus a margin: a change that makes the download grow past this must say so
// here (and in docs/performance.md) rather than slip in. Lower it whenever the size drops.
// History: 619 KB after the size work; 646 KB (645,660 B) once the card pages landed with it
// (step-up, adding and stopping cards, sign-in by number and from autofill, the idle warning);
// 651 KB (651,293 B) with the card check before receipts and reports; 178 KB (177,885 B) once
// pages became islands: only the card steps, charts, the idle warning and the number toggle
// are hydrated, the rest is server-rendered HTML; 161 KB (160,929 B) once the charts, the idle
// warning and the number toggle moved to the page script and only card steps stay islands.
const wasmCeiling = 165 * KB;
const jsCeiling = 8 * KB;

const pkgDir = path.join(__dirname, '..', '..', 'target', 'site', 'pkg');

function built(ext: string): string {
  // cargo-leptos empties the site folder on each build, so exactly one file of each kind.
  const names = fs.readdirSync(pkgDir).filter((n) => /^portal\.[A-Za-z0-9_-]{22}\./.test(n) && n.endsWith(`.${ext}`));
  expect(names, `one hashed portal.*.${ext} in ${pkgDir}`).toHaveLength(1);
  return path.join(pkgDir, names[0]);
}

function brotli(file: string): number {
  const data = fs.readFileSync(file);
  return zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}

// The files are the same for every project; measure them once.
test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'js-1280', 'sizes do not depend on the browser settings');
});

test('the WebAssembly and its loader stay under today\'s ceiling', () => {
  const wasm = brotli(built('wasm'));
  const js = brotli(built('js'));
  console.log(`wasm ${wasm} B brotli, js ${js} B brotli`);
  expect(wasm).toBeLessThanOrEqual(wasmCeiling);
  expect(js).toBeLessThanOrEqual(jsCeiling);
});

test('the WebAssembly is under the 200 KB brotli goal', () => {
  expect(brotli(built('wasm'))).toBeLessThan(wasmGoal);
});

test('the release build ships brotli and gzip copies of what pages load', () => {
  for (const ext of ['wasm', 'js', 'css']) {
    const file = built(ext);
    for (const sibling of [`${file}.br`, `${file}.gz`]) {
      expect(fs.existsSync(sibling), `${sibling} (cargo leptos build --release --precompress)`).toBe(true);
    }
    const brotliCopy = zlib.brotliDecompressSync(fs.readFileSync(`${file}.br`));
    expect(brotliCopy.equals(fs.readFileSync(file)), `${file}.br decodes to the file`).toBe(true);
  }
});

// ECharts, built from npm with only the chart types and components the charts use
// (scripts/echarts-entry.mjs): 165,226 B brotli, down from 300,177 B for the whole library.
const echartsCeiling = 170 * KB;

test('the ECharts the chart pages load is the portal\'s own build, under its ceiling', () => {
  const dir = path.join(__dirname, '..', '..', 'target', 'site', 'vendor');
  const names = fs.readdirSync(dir).filter((n) => /^echarts-[\d.]+-portal\.js$/.test(n));
  expect(names, `one portal build of ECharts in ${dir}`).toHaveLength(1);
  const file = path.join(dir, names[0]);
  const size = brotli(file);
  console.log(`echarts ${size} B brotli`);
  expect(size).toBeLessThanOrEqual(echartsCeiling);
  expect(fs.existsSync(`${file}.br`) && fs.existsSync(`${file}.gz`)).toBe(true);
});

/** Every response a page's first view brings, by path, with its bytes on the wire (body). */
function recordDownloads(page: Page): Map<string, { bytes: number; encoding?: string; cache?: string }> {
  const seen = new Map<string, { bytes: number; encoding?: string; cache?: string }>();
  page.on('requestfinished', async (req) => {
    const res = await req.response();
    if (!res) return;
    const url = new URL(req.url());
    const h = res.headers();
    const { responseBodySize } = await req.sizes();
    seen.set(url.pathname, { bytes: responseBodySize, encoding: h['content-encoding'], cache: h['cache-control'] });
  });
  return seen;
}

/** A fresh browser (empty cache) with the session `page` holds: a first view. */
async function firstView(page: Page): Promise<Page> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const fresh = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await fresh.addCookies(await page.context().cookies());
  return fresh.newPage();
}

// Issue 14 item 5: a chart page loads at most 300 KB brotli in all (a comparable React portal
// loads 331 KB on its chart page).
const chartPageGoal = 300 * KB;

test('a chart page\'s first view loads under 300 KB of scripts and styles, and no WebAssembly', async ({ page: signedIn }) => {
  await signInAs(signedIn, 5);
  const page = await firstView(signedIn);
  const downloads = recordDownloads(page);
  await page.goto('/medications');
  await expect(page.locator('#meds-timeline canvas')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  // Let the last responses be counted.
  await page.waitForLoadState('networkidle');
  const paths = [...downloads.keys()];
  expect(paths.filter((p) => p.endsWith('.wasm')), 'no WebAssembly on a page without a card step').toEqual([]);
  const assets = [...downloads.entries()].filter(([p]) => p !== '/medications' && !p.startsWith('/api/'));
  const total = assets.reduce((sum, [, d]) => sum + d.bytes, 0);
  const html = downloads.get('/medications')?.bytes ?? 0;
  console.log(`chart page: ${assets.map(([p, d]) => `${p} ${d.bytes} B`).join(', ')}; ${total} B in all, HTML ${html} B`);
  for (const [p, d] of assets) {
    expect(['br', 'gzip'], `${p} is sent compressed`).toContain(d.encoding);
  }
  expect(total).toBeLessThanOrEqual(chartPageGoal);
});

test('a visitor\'s landing page and the not-found page load no WebAssembly and no script', async ({ page }) => {
  const downloads = recordDownloads(page);
  for (const url of ['/', '/no-such-page']) {
    await page.goto(url);
    await page.waitForLoadState('networkidle');
  }
  const scripts = [...downloads.keys()].filter((p) => p.endsWith('.wasm') || p.endsWith('.js'));
  expect(scripts).toEqual([]);
});

test('a page loads its scripts compressed, with hashed names cached for good', async ({ page }) => {
  const downloads = recordDownloads(page);
  await page.goto('/sign-in');
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.waitForLoadState('networkidle');
  const files = [...downloads.entries()].filter(([p]) => p.startsWith('/pkg/'));
  expect(files.map(([p]) => path.extname(p)).sort()).toEqual(['.css', '.js', '.wasm']);
  for (const [p, d] of files) {
    expect(p).toMatch(/^\/pkg\/portal\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
    expect(['br', 'gzip'], `${p} is sent compressed`).toContain(d.encoding);
    expect(d.cache, p).toBe('public, max-age=31536000, immutable');
  }
});

test('the page script is sent compressed and cached for good under its digest', async ({ page: signedIn }) => {
  await signInAs(signedIn, 0);
  const page = await firstView(signedIn);
  const downloads = recordDownloads(page);
  await page.goto('/insurance');
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  await page.waitForLoadState('networkidle');
  const script = downloads.get('/scripts/page.js');
  expect(script, 'the page script is loaded').toBeDefined();
  expect(['br', 'gzip']).toContain(script?.encoding);
  expect(script?.cache).toBe('public, max-age=31536000, immutable');
  expect([...downloads.keys()].filter((p) => p.endsWith('.wasm'))).toEqual([]);
});
