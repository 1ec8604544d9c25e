// Controls that change the page: the hydrated toggle, the same toggle without scripts, the
// language switch and the skip link, all by keyboard where a person would use it.
import { expect, test } from '@playwright/test';
import { signInAs, scriptsEnabled, useLanguage, waitForHydration, watchConsole } from './support';

test('the insured number toggle flips in place once hydrated', async ({ page }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'needs the hydrated app');
  const errors = watchConsole(page);
  await useLanguage(page, 'en');
  await signInAs(page, 0);
  await waitForHydration(page);
  const number = page.getByTestId('insured-number');
  const masked = await number.textContent();
  expect(masked).toContain('*');
  const url = page.url();
  await page.getByRole('button', { name: 'Show number' }).click();
  await expect(number).not.toContainText('*');
  await expect(page.getByRole('button', { name: 'Hide number' })).toHaveAttribute('aria-pressed', 'true');
  expect(page.url(), 'no navigation happened').toBe(url);
  await page.getByRole('button', { name: 'Hide number' }).click();
  await expect(number).toHaveText(masked ?? '');
  expect(errors).toEqual([]);
});

test('the insured number toggle works without scripts', async ({ page }, testInfo) => {
  test.skip(scriptsEnabled(testInfo), 'the no-JS path');
  await useLanguage(page, 'ja');
  await signInAs(page, 0);
  const number = page.getByTestId('insured-number');
  await expect(number).toContainText('*');
  await page.getByRole('button', { name: '番号を表示' }).click();
  await expect(page).toHaveURL(/show=number/);
  await expect(number).not.toContainText('*');
});

test('the language switch changes the page language and stays on the page', async ({ page }, testInfo) => {
  await page.goto('/sign-in');
  if (scriptsEnabled(testInfo)) await waitForHydration(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in with your card');
  await page.getByRole('button', { name: '日本語' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
});

test('keyboard: the skip link comes first and moves focus to the content', async ({ page }, testInfo) => {
  await useLanguage(page, 'en');
  await page.goto('/');
  if (scriptsEnabled(testInfo)) await waitForHydration(page);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await page.keyboard.press('Tab');
  const focusedInMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
  expect(focusedInMain).toBe(true);
});

test('keyboard: the insured number is revealed without a mouse', async ({ page }, testInfo) => {
  await useLanguage(page, 'en');
  await signInAs(page, 0);
  if (scriptsEnabled(testInfo)) await waitForHydration(page);
  const show = page.getByRole('button', { name: 'Show number' });
  await show.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('insured-number')).not.toContainText('*');
});
