// Copies ECharts (pinned in package.json) and its Japanese language file from node_modules into
// public/vendor as one file named by version, with brotli and gzip copies beside it, so the
// portal serves charts from its own origin with no download at run time.
// Run by .ci/install after `npm ci`; safe to run again.
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "node_modules", "echarts");
const { version } = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const outDir = join(root, "public", "vendor");
const out = join(outDir, `echarts-${version}.js`);

if (existsSync(out) && existsSync(`${out}.br`) && existsSync(`${out}.gz`)) {
  process.exit(0);
}
mkdirSync(outDir, { recursive: true });
// The language file registers itself on the global `echarts`, so it must come second.
const js = Buffer.concat([
  readFileSync(join(pkg, "dist", "echarts.min.js")),
  Buffer.from("\n"),
  readFileSync(join(pkg, "i18n", "langJA.js")),
]);
writeFileSync(out, js);
writeFileSync(
  `${out}.br`,
  brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
);
writeFileSync(`${out}.gz`, gzipSync(js, { level: 9 }));
console.log(`vendored echarts ${version} into public/vendor`);
