// At the counter: a pharmacy's reception terminal, signed in with the pharmacy's credential,
// where two patients one after the other place their card (Chromium's virtual authenticator,
// user verified, no typing) and choose what to share for this visit; the second never sees the
// first. The pharmacy then reads through its API, and the patient finds a notice of that first
// read on their home page and dismisses it. Every new page passes axe-core in both languages,
// at both widths, with and without scripts.
import { Browser, expect, Page, test } from '@playwright/test';
import {
  checkRenderedDom, codeOf, expectNoAxeViolations, expectNoHorizontalScroll, holdCard, insuredOf, issueCredential,
  languages, screenshot, scriptsEnabled, signInAs, todayInJapan, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: { staff: '受付端末', credential: '機関の認証情報', start: 'この端末で受付を始める', ready: 'カードを置いてください', read: 'カードを読み取る', end: '受付を終了する（職員用）', meds: /^お薬の記録/, confirm: '確定する', cancel: 'やめる（何も共有しない）', confirmed: '確認しました', next: '次の方へ' },
  en: { staff: 'Reception terminal', credential: 'Institution credential', start: 'Start reception on this terminal', ready: 'Please place your card', read: 'Read my card', end: 'End reception (staff)', meds: /^medications/, confirm: 'Confirm', cancel: 'Cancel (share nothing)', confirmed: 'Confirmed', next: 'Next patient' },
};

/** A terminal of its own: a browser context no patient ever signed in to. */
async function terminal(browser: Browser, page: Page, lang: string) {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: page.viewportSize() ?? undefined,
    javaScriptEnabled: scriptsEnabled(test.info()),
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: 'http://localhost:3005' }]);
  return context;
}

async function checked(page: Page, name: string) {
  await checkRenderedDom(page, test.info(), async (p) => {
    await expectNoHorizontalScroll(p);
    await expectNoAxeViolations(p);
  });
  await screenshot(page, test.info(), name);
}

for (const lang of languages) {
  test(`the terminal's pages in ${lang}`, async ({ page, browser }, testInfo) => {
    await useLanguage(page, lang);
    await signInAs(page, 5);
    const token = issueCredential(await codeOf(page, 'あおば薬局'), `e2e ${testInfo.project.name} ${lang}`);
    const context = await terminal(browser, page, lang);
    try {
      const t = await context.newPage();
      const errors = watchConsole(t);
      await t.goto('/counter');
      await expect(t.getByRole('heading', { level: 1 })).toHaveText(text[lang].staff);
      await expect(t.getByRole('navigation')).toHaveCount(0);
      await checked(t, `${lang}-counter-staff`);
      // A wrong credential is named, in the reader's language, and changes nothing.
      await t.getByLabel(text[lang].credential).fill('wrong.credential');
      await t.getByRole('button', { name: text[lang].start }).click();
      await expect(t.getByRole('alert')).toBeVisible();
      await checked(t, `${lang}-counter-staff-error`);
      // The staff's one step works without scripts: a plain form post.
      await t.getByLabel(text[lang].credential).fill(token);
      await t.getByRole('button', { name: text[lang].start }).click();
      await expect(t.getByRole('heading', { level: 1 })).toHaveText(text[lang].ready);
      if (scriptsEnabled(testInfo)) {
        await waitForHydration(t);
        await expect(t.getByRole('button', { name: text[lang].read })).toBeEnabled();
      }
      await checked(t, `${lang}-counter-ready`);
      await t.getByRole('button', { name: text[lang].end }).click();
      await expect(t.getByRole('heading', { level: 1 })).toHaveText(text[lang].staff);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
}

test('two patients at one counter, one card touch each; the first read is noticed at home', async ({ page, browser }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'reading the card needs JavaScript');
  const errors = watchConsole(page);
  await useLanguage(page, 'ja');
  // Each width's run uses its own pharmacy (and each worker its own card of a patient), so the
  // two runs never meet.
  const wide = testInfo.project.name.endsWith('1280');
  const [first, second] = [12, 13];
  await signInAs(page, first);
  const code = await codeOf(page, wide ? 'ひまわり薬局' : 'さくら調剤薬局');
  const token = issueCredential(code, `e2e counter ${testInfo.project.name}`);

  const context = await terminal(browser, page, 'ja');
  try {
    const t = await context.newPage();
    const terminalErrors = watchConsole(t);
    await t.goto('/counter');
    await t.getByLabel(text.ja.credential).fill(token);
    await t.getByRole('button', { name: text.ja.start }).click();
    await expect(t.getByRole('heading', { level: 1 })).toHaveText(text.ja.ready);

    // The first patient: one card touch, one choice, confirmed.
    await holdCard(t, first);
    await waitForHydration(t);
    await t.getByRole('button', { name: text.ja.read }).click();
    await expect(t.getByRole('heading', { level: 1 })).toHaveText(/さん$/);
    const firstName = (await t.getByRole('heading', { level: 1 }).textContent()) ?? '';
    await checked(t, 'ja-counter-choose');
    await t.getByRole('checkbox', { name: text.ja.meds }).check();
    await t.getByRole('button', { name: text.ja.confirm }).click();
    await expect(t.getByRole('heading', { level: 1 })).toHaveText(text.ja.confirmed);
    await expect(t.getByRole('status')).toContainText('お薬の記録');
    await checked(t, 'ja-counter-confirmed');
    await t.getByRole('button', { name: text.ja.next }).click();
    await expect(t.getByRole('heading', { level: 1 })).toHaveText(text.ja.ready);
    await expect(t.locator('body')).not.toContainText(firstName);

    // The second patient, at the same terminal with their own card: never sees the first, and
    // cancelling shares nothing.
    const t2 = await context.newPage();
    await holdCard(t2, second);
    await t2.goto('/counter');
    await waitForHydration(t2);
    await t2.getByRole('button', { name: text.ja.read }).click();
    await expect(t2.getByRole('heading', { level: 1 })).toHaveText(/さん$/);
    await expect(t2.getByRole('heading', { level: 1 })).not.toHaveText(firstName);
    await expect(t2.locator('body')).not.toContainText(firstName);
    await t2.getByRole('button', { name: text.ja.cancel }).click();
    await expect(t2.getByRole('heading', { level: 1 })).toHaveText(text.ja.ready);
    expect(terminalErrors).toEqual([]);
  } finally {
    await context.close();
  }

  // The pharmacy's system reads the first patient's medicines under the visit consent.
  const read = (index: number, kind: string) =>
    page.request.post(`/institution/v1/${kind}`, {
      headers: { authorization: `Bearer ${token}` },
      data: { insured: insuredOf(index), visit_date: todayInJapan() },
    });
  expect((await read(first, 'medications')).status()).toBe(200);
  expect((await read(first, 'checkups')).status()).toBe(403);
  expect((await read(second, 'medications')).status()).toBe(403);

  // The patient sees, on their home page, that the pharmacy read their data, and dismisses it.
  await page.goto('/');
  const notice = page.locator(`[data-topic="first_read:${code}"]`);
  await expect(notice).toContainText('初めてあなたのデータを見ました');
  await waitForHydration(page);
  await checked(page, 'ja-home-notice');
  await notice.getByRole('button').click();
  await expect(page.getByRole('status').filter({ hasText: 'お知らせを確認済みにしました' })).toBeVisible();
  await expect(page.locator(`[data-topic="first_read:${code}"]`)).toHaveCount(0);
  await page.goto(`/access-log?who=${code}`);
  const rows = page.locator('#entries-caption').locator('xpath=..').locator('tbody tr');
  await expect(rows.first()).toContainText('お知らせを確認済みにしました');
  expect(errors).toEqual([]);
});
