// Builds the portal's own ECharts (pinned in package.json) from node_modules with esbuild
// (pinned too): only the chart types and components the charts use (scripts/echarts-entry.mjs),
// tree-shaken and minified into one script that defines the global `echarts`, written to
// public/vendor with brotli and gzip copies beside it, so the portal serves charts from its own
// origin with no download at run time. Run by .ci/install after `npm ci`; safe to run again
// (an unchanged build leaves the files alone).
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync, rmSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "node_modules", "echarts");
const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const outDir = join(root, "public", "vendor");
const out = join(outDir, `echarts-${version}-portal.js`);

const built = buildSync({
  entryPoints: [join(root, "scripts", "echarts-entry.mjs")],
  bundle: true,
  format: "iife",
  globalName: "echarts",
  minify: true,
  // The browsers the portal supports run WebAssembly with reference types: ES2020 and later.
  target: "es2020",
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"', __DEV__: "false" },
  write: false,
  logLevel: "warning",
});
const js = Buffer.from(built.outputFiles[0].contents);

const unchanged = existsSync(out) && readFileSync(out).equals(js)
  && existsSync(`${out}.br`) && existsSync(`${out}.gz`);
if (!unchanged) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(out, js);
  writeFileSync(
    `${out}.br`,
    brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  writeFileSync(`${out}.gz`, gzipSync(js, { level: 9 }));
}
// Earlier builds (another version, or the whole library) would be copied into the site too.
for (const name of readdirSync(outDir)) {
  if (/^echarts-.*\.js(\.br|\.gz)?$/.test(name) && !join(outDir, name).startsWith(out)) {
    rmSync(join(outDir, name));
  }
}
const br = brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`echarts ${version} for the portal: ${js.length} B, ${br} B brotli (public/vendor)`);
