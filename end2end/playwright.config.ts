// End-to-end tests in Debian's Chromium: every page at 320 and 1280 CSS px, hydrated and with
// scripts blocked, in Japanese and English. The portal is started from the release build on a
// fresh SQLite database with demo data.
import { defineConfig } from '@playwright/test';
import * as os from 'os';
import * as path from 'path';

const port = 3005;
export const baseURL = `http://localhost:${port}`;
// One folder for the whole run (workers inherit the environment): the database, the server key
// and the demo enrollment codes the sign-in tests read.
process.env.PORTAL_E2E_DIR ??= path.join(os.tmpdir(), `portal-e2e-${Date.now()}`);
const dataDir = process.env.PORTAL_E2E_DIR;

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};

const sizes = { '320': { width: 320, height: 720 }, '1280': { width: 1280, height: 900 } };

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: { baseURL, launchOptions, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' },
  projects: [
    // Enrolls a card per demo persona and worker first (cards.setup.ts); the rest sign in with them.
    { name: 'cards', testMatch: /cards\.setup\.ts/, use: { javaScriptEnabled: true } },
    ...(['320', '1280'] as const).flatMap((w) => [
      { name: `js-${w}`, use: { viewport: sizes[w], javaScriptEnabled: true }, dependencies: ['cards'] },
      { name: `nojs-${w}`, use: { viewport: sizes[w], javaScriptEnabled: false }, dependencies: ['cards'] },
    ]),
  ],
  webServer: {
    command: `../target/release/portal serve --demo --bind 127.0.0.1:${port} --public-url ${baseURL} --site-root ../target/site --key-file ${dataDir}/server.key --patients 14`,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: { DATABASE_URL: `sqlite:${dataDir}/portal.db`, RUST_LOG: 'warn' },
  },
});
