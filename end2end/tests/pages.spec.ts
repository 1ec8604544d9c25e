// Every page, in both languages, at both widths, hydrated and with scripts blocked: it renders
// its content, has its own title, reflows without horizontal scrolling, passes axe-core with
// no rule disabled, and logs no console error.
import { expect, test } from '@playwright/test';
import {
  checkRenderedDom, signInAs, expectNoAxeViolations, expectNoHorizontalScroll, languages, screenshot,
  scriptsEnabled, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: { signIn: 'カードでサインイン', enroll: 'カードの登録', landing: 'お薬・健診・医療費の記録を', notFound: 'ページが見つかりません', home: 'さんの記録', site: 'わたしの健康記録' },
  en: { signIn: 'Sign in with your card', enroll: 'Register your card', landing: 'Your medicines, checkups', notFound: 'Page not found', home: 'Records of', site: 'My Health Record' },
};

for (const lang of languages) {
  test.describe(`pages in ${lang}`, () => {
    test.beforeEach(async ({ page }) => { await useLanguage(page, lang); });

    test('landing page', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await page.goto('/');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(text[lang].landing);
      await expect(page).toHaveTitle(new RegExp(`\\| ${text[lang].site}$`));
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-landing`);
      expect(errors).toEqual([]);
    });

    for (const [url, key] of [['/sign-in', 'signIn'], ['/enroll', 'enroll']] as const) {
      test(`card page ${url}`, async ({ page }, testInfo) => {
        const errors = watchConsole(page);
        await page.goto(url);
        if (scriptsEnabled(testInfo)) await waitForHydration(page);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang][key]);
        await expect(page).toHaveTitle(new RegExp(`^${text[lang][key]} \\|`));
        // The card button works only with scripts; without them it stays disabled and says why.
        const button = page.getByRole('button', { name: lang === 'ja' ? /カード/ : /card/i }).last();
        if (scriptsEnabled(testInfo)) await expect(button).toBeEnabled();
        else await expect(button).toBeDisabled();
        await checkRenderedDom(page, testInfo, async (p) => {
          await expectNoHorizontalScroll(p);
          await expectNoAxeViolations(p);
        });
        await screenshot(page, testInfo, `${lang}${url.replace('/', '-')}`);
        expect(errors).toEqual([]);
      });
    }

    test('account page asks a visitor to sign in', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await page.goto('/account');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await expect(page.getByRole('link', { name: lang === 'ja' ? 'カードでサインイン' : 'Sign in with card' })).toBeVisible();
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      expect(errors).toEqual([]);
    });

    for (const [index, persona] of ['office-worker', 'elderly', 'child', 'welfare', 'no-data', 'heavy'].entries()) {
      test(`patient home: ${persona}`, async ({ page }, testInfo) => {
        const errors = watchConsole(page);
        await signInAs(page, index);
        if (scriptsEnabled(testInfo)) await waitForHydration(page);
        await expect(page.getByRole('heading', { level: 1 })).toContainText(text[lang].home);
        await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
        await checkRenderedDom(page, testInfo, async (p) => {
          await expectNoHorizontalScroll(p);
          await expectNoAxeViolations(p);
        });
        await screenshot(page, testInfo, `${lang}-home-${persona}`);
        expect(errors).toEqual([]);
      });
    }

    test('not-found page answers 404 with its own title', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      const res = await page.goto('/no-such-page');
      expect(res?.status()).toBe(404);
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].notFound);
      await expect(page).toHaveTitle(new RegExp(`^${text[lang].notFound} \\|`));
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-not-found`);
      // The 404 response itself is reported by Chromium as a console error; nothing else may be.
      expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
    });
  });
}

test('titles differ from page to page', async ({ page }) => {
  const titles = new Set<string>();
  for (const url of ['/', '/sign-in', '/enroll', '/no-such-page']) {
    await page.goto(url);
    titles.add(await page.title());
  }
  await signInAs(page, 0);
  titles.add(await page.title());
  // The landing and the signed-in home share the "Home" title; the others differ.
  expect(titles.size).toBeGreaterThanOrEqual(3);
});
