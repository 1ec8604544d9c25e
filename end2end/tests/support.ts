// Shared helpers: language selection, card sign-in as a demo persona, axe-core and page checks.
import { CDPSession, expect, Page, test, TestInfo } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const languages = ['ja', 'en'] as const;
export type Lang = (typeof languages)[number];

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function scriptsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.name.startsWith('js-');
}

/** Chooses the language the way a visitor would carry it: the cookie the switch sets. */
export async function useLanguage(page: Page, lang: Lang) {
  await page.context().addCookies([{ name: 'i18n_pref_locale', value: lang, url: 'http://localhost:3005' }]);
}

/** Collects console errors and failed requests for the whole test. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/**
 * Waits until the page's scripts have run: the WebAssembly's last island, or the page script on
 * a page without WebAssembly, marks <body>. A page that loads neither (a visitor's landing page)
 * has nothing to wait for.
 */
export async function waitForHydration(page: Page) {
  const scripted = await page.locator('link[rel="modulepreload"], script[src^="/scripts/page.js"]').count();
  if (scripted === 0) return;
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 20_000 });
}

/** The link key of demo persona `index` (0: office worker … 5: heavy patient). */
export function personaKey(index: number): string {
  return `DEMO-${String(index + 1).padStart(4, '0')}`;
}

/** Where the setup project keeps the cards it enrolled (see cards.setup.ts). */
export function cardsFile(): string {
  const dir = process.env.PORTAL_E2E_DIR;
  if (!dir) throw new Error('PORTAL_E2E_DIR is not set');
  return path.join(dir, 'cards.json');
}

/**
 * Signs `page`'s browser in as demo persona `index` with a real card ceremony: in a scripted
 * side window holding this worker's card for the persona (a virtual authenticator loaded with
 * the credential the setup enrolled), "Sign in with card" is pressed; the session cookie it
 * earns is then given to `page`, so pages with scripts blocked are signed in the same way.
 * Ends on the patient's home page.
 */
export async function signInAs(page: Page, index: number) {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const side = await browser.newContext({ javaScriptEnabled: true, baseURL: test.info().project.use.baseURL });
  try {
    const p = await side.newPage();
    await holdCard(p, index);
    await p.goto('/sign-in');
    await waitForHydration(p);
    await p.getByRole('button', { name: 'カードでサインイン', exact: true }).click();
    await p.waitForURL((url) => url.pathname === '/');
    const session = (await side.cookies()).filter((c) => c.name.endsWith('portal_session'));
    expect(session).toHaveLength(1);
    await page.context().addCookies(session);
  } finally {
    await side.close();
  }
  await page.goto('/');
}

/**
 * Puts this worker's card for demo persona `index` (enrolled by the setup project) into a
 * virtual authenticator on `page`, for sign-in or a fresh card check there.
 */
export async function holdCard(page: Page, index: number) {
  const { base, wallet } = JSON.parse(fs.readFileSync(cardsFile(), 'utf8'));
  const cards = wallet[personaKey(index)];
  const card = cards[test.info().parallelIndex % cards.length];
  const { cdp, authenticatorId } = await addVirtualCard(page);
  // Counters only grow: this worker's card is used by this worker alone, one test at a time.
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...card, signCount: Date.now() - base } });
}

/** axe-core with every rule on and nothing excluded: zero violations. */
export async function expectNoAxeViolations(page: Page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // @ts-ignore injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target.join(' ')).join(', ')})`);
  });
  expect(result, 'axe violations').toEqual([]);
}

/** No horizontal scrolling: content reflows at the viewport width (WCAG 1.4.10). */
export async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, 'horizontal overflow in CSS px').toBeLessThanOrEqual(0);
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const dir = path.join(__dirname, '..', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${testInfo.project.name}-${name}.png`), fullPage: true });
}

/**
 * Runs DOM checks (axe, reflow) on what the visitor sees. Hydrated pages are checked as they
 * are. For pages loaded with scripts blocked, axe itself needs scripts, so the exact
 * server-rendered HTML the visitor got is loaded, with its scripts removed, into a second page
 * that may run the checker.
 */
export async function checkRenderedDom(page: Page, testInfo: TestInfo, check: (p: Page) => Promise<void>) {
  if (scriptsEnabled(testInfo)) {
    await check(page);
    return;
  }
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined, javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    const url = page.url();
    await copy.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await copy.goto(url);
    await check(copy);
  } finally {
    await context.close();
  }
}

/** The demo enrollment code the server wrote for a demo patient (link key `DEMO-000n`). */
export function demoEnrollment(linkKey: string): { member: string; code: string } {
  const dir = process.env.PORTAL_E2E_DIR;
  if (!dir) throw new Error('PORTAL_E2E_DIR is not set');
  const text = fs.readFileSync(path.join(dir, 'demo-enrollment-codes.txt'), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith(`${linkKey}\t`));
  if (!line) throw new Error(`no demo code for ${linkKey}`);
  const [, member, code] = line.split('\t');
  return { member, code };
}

/**
 * Registers a card for `linkKey` with its demo enrollment code and signs in with it, in
 * English, on a page that already holds a virtual authenticator. Ends on the home page.
 */
export async function enrollAndSignIn(page: Page, linkKey: string) {
  const { member, code } = demoEnrollment(linkKey);
  await page.goto('/enroll');
  await waitForHydration(page);
  await page.getByLabel('Insured-person number').fill(member);
  await page.getByLabel('Enrollment code').fill(code);
  await page.getByRole('button', { name: 'Register card' }).click();
  await page.waitForURL('**/sign-in?enrolled=1');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign in with card', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

/** A Chromium virtual authenticator standing in for the card: resident keys, PIN verified. */
export async function addVirtualCard(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'usb', hasResidentKey: true,
      hasUserVerification: true, isUserVerified: true, hasCredBlob: true, automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/**
 * A card check made for `purpose` (`add_card`, `revoke_card`…) in `page`'s signed-in session,
 * with whatever card `page`'s virtual authenticator holds, exactly as the pages' card step does
 * it: the server's options, `navigator.credentials.get`, the answer back. For flows whose two
 * card steps need two devices (adding a card: the old card checks, the new one registers), so
 * the test can swap devices between them.
 */
export async function checkCard(page: Page, purpose: string) {
  const status = await page.evaluate(async (purpose) => {
    const bytes = (s: string) =>
      Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const text = (b: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const post = (path: string, body: unknown) =>
      fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const options = await (await post('/api/auth/begin_step_up', { purpose })).json();
    const publicKey = options.publicKey;
    publicKey.challenge = bytes(publicKey.challenge);
    publicKey.allowCredentials = (publicKey.allowCredentials ?? []).map((c: any) => ({ ...c, id: bytes(c.id) }));
    const cred = (await navigator.credentials.get({ publicKey })) as PublicKeyCredential;
    const r = cred.response as AuthenticatorAssertionResponse;
    const reply = {
      id: cred.id, rawId: text(cred.rawId), type: cred.type, extensions: {},
      response: {
        authenticatorData: text(r.authenticatorData), clientDataJSON: text(r.clientDataJSON),
        signature: text(r.signature), userHandle: r.userHandle ? text(r.userHandle) : null,
      },
    };
    return (await post('/api/auth/complete_step_up', { reply })).status;
  }, purpose);
  expect(status, `card check for ${purpose}`).toBe(200);
}

/** Runs the release binary against the end2end database, as an operator would. */
export function portal(args: string[]): string {
  const dir = process.env.PORTAL_E2E_DIR ?? '';
  return execFileSync(path.join(__dirname, '..', '..', 'target', 'release', 'portal'), args, {
    env: { ...process.env, DATABASE_URL: `sqlite:${dir}/portal.db`, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
}

/**
 * The institution code of the first search result for `query` (or of the first whose shown name
 * begins with `name`), as a signed-in patient finds it.
 */
export async function codeOf(page: Page, query: string, name?: string): Promise<string> {
  await page.goto(`/consents?q=${encodeURIComponent(query)}`);
  const escaped = (name ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const link = page.getByRole('list', { name: /検索結果|Search results/ })
    .getByRole('link', { name: new RegExp(`^${escaped}`) }).first();
  const href = (await link.getAttribute('href')) ?? '';
  const code = new URLSearchParams(href.split('?')[1].split('#')[0]).get('institution') ?? '';
  expect(code).toMatch(/^\d{10}$/);
  return code;
}

/** A new API credential for institution `code`, issued by the operator command (shown once). */
export function issueCredential(code: string, label: string): string {
  return portal(['institutions', 'issue-credential', '--code', code, '--label', label]).trim().split('\n').pop() ?? '';
}

/** The insured-person number of demo persona `index`, as an institution's API body names it. */
export function insuredOf(index: number) {
  const [insurer, symbol, number, branch] = demoEnrollment(personaKey(index)).member.split(':');
  return { insurer, symbol, number, branch };
}

/** Today in Japan, as `YYYY-MM-DD` (the API's visit date). */
export function todayInJapan(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
}
