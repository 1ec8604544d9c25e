// The access log page as a patient uses it: in both languages, at both widths, hydrated and with
// scripts blocked; the filter form and the exports work without JavaScript; axe-core passes.
import { expect, test } from '@playwright/test';
import {
  checkRenderedDom, signInAs, expectNoAxeViolations, expectNoHorizontalScroll, languages, screenshot,
  scriptsEnabled, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: { title: 'アクセス記録', signIn: 'カードでサインインしました', filter: '絞り込む', outcome: '結果', done: '完了', csv: 'CSVでダウンロード', json: 'JSONでダウンロード' },
  en: { title: 'Access log', signIn: 'Signed in with the card', filter: 'Apply', outcome: 'Outcome', done: 'Done', csv: 'Download as CSV', json: 'Download as JSON' },
};

for (const lang of languages) {
  test.describe(`access log in ${lang}`, () => {
    test.beforeEach(async ({ page }) => { await useLanguage(page, lang); });

    test('the patient reads, filters and exports their log', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 0);
      await page.goto('/access-log');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].title);
      await expect(page).toHaveTitle(new RegExp(`^${text[lang].title} \\|`));
      const rows = page.locator('#entries-caption').locator('xpath=..').locator('tbody tr');
      await expect(rows.filter({ hasText: text[lang].signIn }).first()).toBeVisible();
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-access-log`);

      // The filter is a plain GET form.
      await page.getByLabel(text[lang].outcome).selectOption('done');
      await page.getByRole('button', { name: text[lang].filter }).click();
      await expect(page).toHaveURL(/outcome=done/);
      await expect(rows.first()).toContainText(text[lang].done);

      // The exports are plain links that keep the filter.
      const csv = await page.getByRole('link', { name: text[lang].csv }).getAttribute('href');
      expect(csv).toContain('outcome=done');
      const res = await page.request.get(csv ?? '');
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toContain('text/csv');
      expect(await res.text()).toContain(text[lang].signIn);
      const json = await page.getByRole('link', { name: text[lang].json }).getAttribute('href');
      const entries = await (await page.request.get(json ?? '')).json();
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.every((e: { outcome: string }) => e.outcome === 'done')).toBe(true);
      expect(errors).toEqual([]);
    });
  });
}

for (const path of ['/access-log', '/consents']) {
  test(`signed out, ${path} shows nothing and offers sign-in`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('link', { name: 'カードでサインイン' })).toBeVisible();
    await expect(page.locator('table')).toHaveCount(0);
  });
}

test('signed out, the log export and consent posts go to sign-in', async ({ page }) => {
  const res = await page.request.get('/access-log/export?format=json', { maxRedirects: 0 });
  expect(res.status()).toBe(303);
  const post = await page.request.post('/consents', { form: { action: 'revoke', institution: '1311234567' }, maxRedirects: 0 });
  expect(post.status()).toBeGreaterThanOrEqual(300);
  expect(post.status()).toBeLessThan(500);
});
