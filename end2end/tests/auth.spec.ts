// Card enrollment and sign-in in Chromium with a virtual authenticator (the demo's dev policy:
// the virtual device's attestation is self-signed). Each project uses its own demo patient,
// because enrollment codes work once.
import { expect, test } from '@playwright/test';
import {
  addVirtualCard, demoEnrollment, expectNoAxeViolations, screenshot, scriptsEnabled, useLanguage,
  waitForHydration, watchConsole,
} from './support';

// Generated patients beyond the six personas (the server runs with --patients 14): the
// personas' codes are used by the setup project.
const personas: Record<string, [string, string]> = {
  'js-320': ['DEMO-0007', 'DEMO-0008'],
  'js-1280': ['DEMO-0009', 'DEMO-0010'],
};

test('enroll a card, sign in, see the home page, sign out, and Back shows nothing', async ({ page }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'WebAuthn needs JavaScript');
  const errors = watchConsole(page);
  await addVirtualCard(page);
  await useLanguage(page, 'en');
  const { member, code } = demoEnrollment(personas[testInfo.project.name][0]);

  await page.goto('/enroll');
  await waitForHydration(page);
  await page.getByLabel('Insured-person number').fill(member);
  await page.getByLabel('Enrollment code').fill('0000-0000-0000-0000');
  await page.getByRole('button', { name: 'Register card' }).click();
  await expect(page.getByRole('alert')).toContainText('not right');
  await page.getByLabel('Enrollment code').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Register card' }).click();
  await page.waitForURL('**/sign-in?enrolled=1');
  await expect(page.getByRole('status').first()).toContainText('Your card is registered');

  await waitForHydration(page);
  await page.getByRole('button', { name: 'Sign in with card', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Records of');
  const home = page.url();

  // The account page lists this session and the record of what just happened.
  await page.getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your account');
  await expect(page.getByText('This browser')).toBeVisible();
  const events = page.getByRole('table');
  await expect(events).toContainText('Card registered');
  await expect(events).toContainText('Signed in');
  await expectNoAxeViolations(page);
  await screenshot(page, testInfo, 'en-account');
  await page.goto('/');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Your medicines');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).not.toContainText('Records of');
  await page.goto(home);
  await expect(page.getByRole('heading', { level: 1 })).not.toContainText('Records of');
  expect(errors.filter((e) => !e.includes('status of 4'))).toEqual([]);
});

test('keyboard only: enroll and sign in without a mouse', async ({ page }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'WebAuthn needs JavaScript');
  await addVirtualCard(page);
  await useLanguage(page, 'ja');
  const { member, code } = demoEnrollment(personas[testInfo.project.name][1]);
  await page.goto('/enroll');
  await waitForHydration(page);
  await page.getByLabel('被保険者番号').focus();
  await page.keyboard.type(member);
  await page.keyboard.press('Tab');
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await page.waitForURL('**/sign-in?enrolled=1');
  await waitForHydration(page);
  await page.getByRole('button', { name: 'カードでサインイン', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('さんの記録');
});
