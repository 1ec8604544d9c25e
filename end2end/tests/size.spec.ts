// What a page makes the browser download before it is interactive: the WebAssembly and its
// JavaScript loader from the release build (target/site/pkg), measured as the server sends them
// (brotli, quality 11, as cargo-leptos --precompress writes them). ECharts is vendored, loaded
// only on pages with charts, and reported apart. The sizes are deterministic for one build, so
// they are a test rather than a benchmark; docs/performance.md has the figures and the history.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { expect, test } from '@playwright/test';

const KB = 1000;
// Issue 4 item 9: the WebAssembly under 200 KB brotli, ECharts excluded.
const wasmGoal = 200 * KB;
// Today's build plus a margin: a change that makes the download grow past this must say so
// here (and in docs/performance.md) rather than slip in. Lower it whenever the size drops.
// History: 619 KB after the size work; 646 KB (645,660 B) once the card pages landed with it
// (step-up, adding and stopping cards, sign-in by number and from autofill, the idle warning);
// 651 KB (651,293 B) with the card check before receipts and reports; 178 KB (177,885 B) once
// pages became islands: only the card steps, charts, the idle warning and the number toggle
// are hydrated, the rest is server-rendered HTML.
const wasmCeiling = 185 * KB;
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
  const pageTotal = size + brotli(built('wasm')) + brotli(built('js')) + brotli(built('css'));
  console.log(`echarts ${size} B brotli; a chart page's scripts and styles ${pageTotal} B brotli`);
  expect(size).toBeLessThanOrEqual(echartsCeiling);
  expect(fs.existsSync(`${file}.br`) && fs.existsSync(`${file}.gz`)).toBe(true);
});

test('a page loads its scripts compressed, with hashed names cached for good', async ({ page }) => {
  // By path: a preloaded file may be answered once or twice.
  const byPath = new Map<string, { url: string; encoding?: string; cache?: string }>();
  page.on('response', (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith('/pkg/')) {
      const h = res.headers();
      byPath.set(url.pathname, { url: url.pathname, encoding: h['content-encoding'], cache: h['cache-control'] });
    }
  });
  await page.goto('/');
  await expect(page.locator('body[data-hydrated="true"]')).toBeAttached();
  const files = [...byPath.values()];
  const kinds = files.map((f) => path.extname(f.url)).sort();
  expect(kinds).toEqual(['.css', '.js', '.wasm']);
  for (const f of files) {
    expect(f.url).toMatch(/^\/pkg\/portal\.[A-Za-z0-9_-]{22}\.(css|js|wasm)$/);
    expect(['br', 'gzip'], `${f.url} is sent compressed`).toContain(f.encoding);
    expect(f.cache, f.url).toBe('public, max-age=31536000, immutable');
  }
});
