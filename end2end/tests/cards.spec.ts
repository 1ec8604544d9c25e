// A patient's cards and sessions across two browsers, with Chromium virtual authenticators as
// the cards: add a second card, sign out everywhere else, sign in by insured number, stop a
// card after checking one (its other browser is signed out at once); and the idle warning.
import { Browser, CDPSession, expect, test } from '@playwright/test';
import {
  addVirtualCard, checkCard, demoEnrollment, enrollAndSignIn, expectNoAxeViolations, holdCard, expectNoHorizontalScroll, screenshot, scriptsEnabled,
  signInAs, useLanguage, waitForHydration, watchConsole,
} from './support';

// Generated patients of their own: this journey ends other sessions of its patient.
const patients: Record<string, string> = { 'js-320': 'DEMO-0011', 'js-1280': 'DEMO-0012' };

async function exportCard(cdp: CDPSession, authenticatorId: string) {
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  return credentials[0];
}

async function browserWithCard(browser: Browser, baseURL: string, credential: unknown) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: true });
  await context.addCookies([{ name: 'i18n_pref_locale', value: 'en', url: baseURL }]);
  const page = await context.newPage();
  const { cdp, authenticatorId } = await addVirtualCard(page);
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });
  return { context, page };
}

test('two browsers: add a card, sign out everywhere else, stop a card', async ({ page, browser, baseURL }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'WebAuthn needs JavaScript');
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  await useLanguage(page, 'en');
  const linkKey = patients[testInfo.project.name];
  const { member } = demoEnrollment(linkKey);

  // Browser A enrolls the first card and signs in.
  let { cdp, authenticatorId } = await addVirtualCard(page);
  await enrollAndSignIn(page, linkKey);
  const first = await exportCard(cdp, authenticatorId);

  // A second card. The first, still at hand, is checked for it first (signing in does not
  // count for card changes)...
  ({ cdp, authenticatorId } = await addVirtualCard(page));
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: first });
  await page.goto('/account');
  await waitForHydration(page);
  await checkCard(page, 'add_card');
  // ...then the new card is presented on a new device.
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  ({ cdp, authenticatorId } = await addVirtualCard(page));
  await page.goto('/account');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Add another card' }).click();
  await page.waitForURL(/card_added=1/);
  await expect(page.getByText('Your new card is registered')).toBeVisible();
  await expect(page.locator('li.card', { hasText: 'Card 2' })).toBeVisible();
  const second = await exportCard(cdp, authenticatorId);
  // Browser A keeps the first card from here on.
  ({ cdp, authenticatorId } = await addVirtualCard(page));
  await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: first });

  // Browser B signs in with the second card, by insured number.
  const b = await browserWithCard(browser, baseURL!, second);
  try {
    await b.page.goto('/sign-in');
    await waitForHydration(b.page);
    await b.page.getByLabel('Insured-person number').fill(member);
    await b.page.getByRole('button', { name: 'Sign in with the card for this number' }).click();
    await b.page.waitForURL((url) => url.pathname === '/');
    await expect(b.page.getByRole('heading', { level: 1 })).toContainText('Records of');

    // A sees both sessions and signs B out.
    await page.goto('/account');
    await waitForHydration(page);
    await expect(page.locator('#sessions-heading + ul > li')).toHaveCount(2);
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect(page.locator('#sessions-heading + ul > li')).toHaveCount(1);
    await b.page.goto('/account');
    await expect(b.page.getByText('Please sign in with your card')).toBeVisible();

    // B signs in again; A stops the second card after checking its own; B is out at once.
    await b.page.goto('/sign-in');
    await waitForHydration(b.page);
    await b.page.getByRole('button', { name: 'Sign in with card', exact: true }).click();
    await b.page.waitForURL((url) => url.pathname === '/');
    await page.goto('/account');
    await waitForHydration(page);
    const card2 = page.locator('li.card', { hasText: 'Card 2' });
    await card2.getByRole('button', { name: 'Stop this card' }).click();
    await page.waitForURL(/card_stopped=1/);
    await expect(page.getByText('The card was stopped')).toBeVisible();
    await expect(page.locator('li.card', { hasText: 'Card 2' })).toContainText('Card stopped');
    const events = page.getByRole('table');
    await expect(events).toContainText('Confirmed with card');
    await expectNoHorizontalScroll(page);
    await expectNoAxeViolations(page);
    await screenshot(page, testInfo, 'en-account-two-cards');

    await b.page.goto('/medications');
    await expect(b.page.getByRole('link', { name: 'Sign in with card' })).toBeVisible();
    await b.page.goto('/sign-in');
    await waitForHydration(b.page);
    await b.page.getByRole('button', { name: 'Sign in with card', exact: true }).click();
    await expect(b.page.getByRole('alert')).toContainText('can no longer be used');
  } finally {
    await b.context.close();
  }
  expect(errors.filter((e) => !e.includes('status of 4'))).toEqual([]);
});

test('the idle warning offers to stay signed in, and staying works', async ({ page }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'the warning counts down in the browser');
  const errors = watchConsole(page);
  await useLanguage(page, 'en');
  await signInAs(page, 1);
  // The server says two minutes are nearly up, once, for the medicines page; all else is real.
  let faked = 0;
  await page.route('**/api/auth/session_left', (route) => {
    const fromMedicines = (route.request().headers()['referer'] ?? '').includes('/medications');
    if (!fromMedicines || faked++ > 0) return route.continue();
    return route.fulfill({ status: 200, contentType: 'application/json', body: '{"seconds":100,"absolute":false}' });
  });
  await page.goto('/medications');
  await waitForHydration(page);
  const warning = page.getByRole('alertdialog', { name: 'You will be signed out soon' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(/in 1:[34]\d/);
  const stay = warning.getByRole('button', { name: 'Stay signed in' });
  await expect(stay).toBeFocused();
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'en-idle-warning');
  await page.keyboard.press('Enter');
  await expect(warning).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Medicines');
  expect(errors).toEqual([]);
});

test('a change asked for a fresh card check is sent again, as typed, once the card is checked', async ({ page }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'checking the card needs JavaScript');
  const errors = watchConsole(page);
  await useLanguage(page, 'en');
  await signInAs(page, 2);
  await holdCard(page, 2);
  // The form as the server sends it back when the last card check is over five minutes old.
  const typed = new URLSearchParams({
    year: '2026', r_paid_on: '2026-11-02', r_payee: 'Clinic bus', r_kind: 'transport', r_amount: '480',
    r_reimbursed: '0', r_errors: 'card:step_up_required',
  });
  await page.goto(`/costs?${typed}#f-card`);
  await waitForHydration(page);
  await expect(page.getByRole('alert').filter({ hasText: 'Card check' })).toBeVisible();
  await expect(page.getByLabel('Paid to')).toHaveValue('Clinic bus');
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'en-card-check');
  await page.getByRole('button', { name: 'Check my card and send' }).click();
  await page.waitForURL(/\/costs\?year=2026#receipts-heading/);
  await expect(page.getByRole('table', { name: /receipts/i })).toContainText('Clinic bus');
  expect(errors).toEqual([]);
});
