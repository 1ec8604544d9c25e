// Family proxies as two people use them, each in their own browser with their own card: the
// patient invites (card check), hands over the code, the proxy accepts in their own session,
// chooses to act for the patient and sees whose records every page shows; the patient sees the
// notice of the first act and each page in their log, revokes (card check), and the proxy is
// refused at once. The proxy's browser runs hydrated and with scripts blocked (accepting and
// switching are plain form posts); the patient's needs scripts for the card. axe-core and
// reflow on every page on the way, in both languages, at both widths.
import { Browser, expect, Page, test } from '@playwright/test';
import {
  checkRenderedDom, demoEnrollment, expectNoAxeViolations, expectNoHorizontalScroll, holdCard, languages, personaKey,
  screenshot, scriptsEnabled, signInAs, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: {
    member: '代理人の被保険者番号', invite: '招待コードを作る', card: 'カードで確認して送信', issued: '招待コードを作りました',
    code: '招待コード', accept: '招待を受ける', accepted: '招待を受けました', act: /さんの記録を見る$/,
    acting: (name: string) => `${name}さんの代理として`, back: '自分の記録に戻る', signOut: 'サインアウト',
    revoke: /さんの代理人の権限を取り消す$/, revoked: '代理人の権限を取り消しました', firstAct: '初めてあなたの代理として',
    viewed: '「お薬」のページを見ました', none: '代理をしている方はいません', banner: '代理で表示中',
  },
  en: {
    member: 'The proxy’s insured-person number', invite: 'Make an invitation code', card: 'Check my card and send',
    issued: 'The invitation code is ready', code: 'Invitation code', accept: 'Accept the invitation',
    accepted: 'You accepted the invitation', act: /^See the records of /,
    acting: (name: string) => `You are acting for ${name}`, back: 'Back to my own records', signOut: 'Sign out',
    revoke: /^Revoke the access of /, revoked: 'The proxy’s access is revoked', firstAct: 'acted for you for the first time',
    viewed: 'Viewed the “Medicines” page', none: 'You do not act for anyone', banner: 'Acting for someone',
  },
};

// Each run has its own pair (patient, proxy): one open grant per pair, and runs go in parallel.
// Persona 3 holds a welfare ticket, not an insured-person number, so is never the proxy here;
// persona 4 has no records, so is never the patient.
const pairs: Record<string, { ja: [number, number]; en: [number, number] }> = {
  'js-320': { ja: [1, 0], en: [2, 4] },
  'nojs-320': { ja: [3, 5], en: [5, 1] },
  'js-1280': { ja: [5, 2], en: [1, 12] },
  'nojs-1280': { ja: [2, 13], en: [3, 0] },
};

async function checked(page: Page, name: string, scripts: boolean) {
  const info = test.info();
  const check = async (p: Page) => {
    await expectNoHorizontalScroll(p);
    await expectNoAxeViolations(p);
  };
  if (scripts) await check(page);
  else await checkRenderedDom(page, info, check);
  await screenshot(page, info, name);
}

/** The patient's own browser: scripts on (the card checks need them), the run's width. */
async function patientBrowser(browser: Browser, page: Page, lang: string) {
  const context = await browser.newContext({
    javaScriptEnabled: true, viewport: page.viewportSize() ?? undefined, baseURL: test.info().project.use.baseURL,
  });
  await context.addCookies([{ name: 'i18n_pref_locale', value: lang, url: 'http://localhost:3005' }]);
  return context;
}

async function nameOf(page: Page): Promise<string> {
  const signedIn = (await page.locator('.signed-in__name').textContent()) ?? '';
  return signedIn.replace(/さん（サインイン中）$/, '').replace(/^Signed in: /, '').trim();
}

for (const lang of languages) {
  test(`a family proxy is invited, acts, is seen and is revoked, in ${lang}`, async ({ page, browser }, testInfo) => {
    test.setTimeout(120_000);
    const errors = watchConsole(page);
    const scripts = scriptsEnabled(testInfo);
    const [patient, proxy] = pairs[testInfo.project.name][lang];
    const t = text[lang];
    await useLanguage(page, lang);

    // The patient, in their browser, signs in and invites the proxy's number.
    const context = await patientBrowser(browser, page, lang);
    const home = await context.newPage();
    const patientErrors = watchConsole(home);
    await signInAs(home, patient);
    const patientName = await nameOf(home);
    await holdCard(home, patient);
    await home.goto('/proxies');
    await waitForHydration(home);
    await home.getByLabel(t.member).fill(demoEnrollment(personaKey(proxy)).member);
    await home.getByRole('button', { name: t.invite }).click();
    // Inviting needs a card check made for it: the page comes back offering it.
    await waitForHydration(home);
    await home.getByRole('button', { name: t.card }).click();
    await expect(home.getByRole('status').filter({ hasText: t.issued })).toBeVisible();
    const code = ((await home.locator('.code-display strong').textContent()) ?? '').trim();
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    await checked(home, `${lang}-proxies-invited`, true);

    // The proxy, in their own browser (scripts as the project says), accepts and acts.
    await signInAs(page, proxy);
    const proxyName = await nameOf(page);
    await page.goto('/proxies');
    if (scripts) await waitForHydration(page);
    await checked(page, `${lang}-proxies-before-accepting`, scripts);
    await page.getByLabel(t.code, { exact: true }).fill(code.toLowerCase());
    await page.getByRole('button', { name: t.accept, exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: t.accepted })).toBeVisible();
    const act = page.getByRole('button', { name: t.act });
    await expect(act).toHaveCount(1);
    await checked(page, `${lang}-proxies-accepted`, scripts);
    await act.click();
    await page.waitForURL((url) => url.pathname === '/');
    const banner = page.getByRole('region', { name: t.banner });
    await expect(banner).toContainText(t.acting(patientName));
    await expect(page.getByRole('heading', { level: 1 })).toContainText(patientName);
    await expect(page.locator('.signed-in__name')).toContainText(proxyName);
    await checked(page, `${lang}-acting-home`, scripts);
    await page.goto('/medications');
    await expect(banner).toContainText(t.acting(patientName));
    await expect(page.locator('main table').first()).toBeVisible();
    await checked(page, `${lang}-acting-medications`, scripts);

    // The patient sees the first act on the home page and the page view in the log.
    await home.goto('/');
    await expect(home.locator('[data-topic^="proxy_first:"]').filter({ hasText: proxyName }).first())
      .toContainText(t.firstAct);
    await checked(home, `${lang}-home-proxy-notice`, true);
    await home.goto('/access-log');
    const rows = home.locator('#entries-caption').locator('xpath=..').locator('tbody tr');
    await expect(rows.filter({ hasText: proxyName }).filter({ hasText: t.viewed }).first()).toBeVisible();

    // The patient revokes, with the card; the proxy's next page is their own again.
    await home.goto('/proxies');
    await waitForHydration(home);
    await home.getByRole('listitem').filter({ hasText: proxyName }).getByRole('button', { name: t.revoke }).first().click();
    // The card check made for inviting still counts for five minutes; after that the page
    // asks for the card again first.
    const revoked = home.getByRole('status').filter({ hasText: t.revoked });
    const card = home.getByRole('button', { name: t.card });
    await expect(revoked.or(card)).toBeVisible();
    if (await card.isVisible()) {
      await waitForHydration(home);
      await card.click();
    }
    await expect(revoked).toBeVisible();
    await checked(home, `${lang}-proxies-revoked`, true);

    await page.goto('/medications');
    await expect(page.getByRole('region', { name: t.banner })).toHaveCount(0);
    await expect(page.locator('main')).not.toContainText(patientName);
    await page.goto('/proxies');
    await expect(page.getByRole('button', { name: t.act })).toHaveCount(0);
    await expect(page.locator('main')).not.toContainText(patientName);
    await checked(page, `${lang}-proxies-after-revoke`, scripts);

    expect(errors).toEqual([]);
    expect(patientErrors).toEqual([]);
    await context.close();
  });
}
