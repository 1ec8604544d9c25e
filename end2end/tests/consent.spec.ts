// Consent as a patient gives it and an institution meets it: find a pharmacy, see exactly what
// it would see, grant with the card (Chromium's virtual authenticator), the institution reads
// through its API with a credential the operator issued, the read is on the log page, revoke,
// and the next read is refused. The consent page passes axe-core in both languages, at both
// widths, with and without scripts.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  checkRenderedDom, demoEnrollment, expectNoAxeViolations, expectNoHorizontalScroll, holdCard, languages,
  personaKey, screenshot, scriptsEnabled, signInAs, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: { title: '同意の管理', search: '探す', query: '名前または医療機関コード', meds: 'お薬の記録', untilRevoked: '取り消すまで（かかりつけの薬局など）', preview: '見られる内容を確認する', never: '同意しなくても、取り消しても', none: '今は、どの医療機関・薬局もあなたのデータを見られません。', confirm: /カードで確認して .* に同意する/, card: 'カードで確認して送信', granted: '同意を登録しました。', revoke: '同意を取り消す', revoked: '同意を取り消しました。' },
  en: { title: 'Consents', search: 'Search', query: 'Name or institution code', meds: 'medications', untilRevoked: 'Until I revoke it (e.g. my regular pharmacy)', preview: 'See what they would see', never: 'Refusing or revoking consent never stops your treatment', none: 'No clinic or pharmacy can see your data now.', confirm: /Confirm with my card and give consent to/, card: 'Check my card and send', granted: 'Your consent was given.', revoke: 'Revoke', revoked: 'Your consent was revoked.' },
};

/** Runs the release binary against the end2end database, as an operator would. */
function portal(args: string[]): string {
  const dir = process.env.PORTAL_E2E_DIR ?? '';
  return execFileSync(path.join(__dirname, '..', '..', 'target', 'release', 'portal'), args, {
    env: { ...process.env, DATABASE_URL: `sqlite:${dir}/portal.db`, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
}

for (const lang of languages) {
  test.describe(`consent page in ${lang}`, () => {
    test.beforeEach(async ({ page }) => { await useLanguage(page, lang); });

    test('search, choose and preview, without changing anything', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 4);
      await page.goto('/consents');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].title);
      await expect(page).toHaveTitle(new RegExp(`^${text[lang].title} \\|`));
      await expect(page.getByText(text[lang].never)).toBeVisible();
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-consents`);

      // The search is a GET form: by prefecture (Tokyo), then a result chosen.
      await page.getByLabel(lang === 'ja' ? '都道府県' : 'Prefecture').selectOption('13');
      await page.getByRole('button', { name: text[lang].search, exact: true }).click();
      await expect(page).toHaveURL(/prefecture=13/);
      const results = page.getByRole('list', { name: lang === 'ja' ? '検索結果' : 'Search results' }).getByRole('link');
      await expect(results.first()).toBeVisible();
      await results.first().click();
      await page.getByLabel(text[lang].meds, { exact: true }).check();
      await page.getByLabel(text[lang].untilRevoked).check();
      await page.getByRole('button', { name: text[lang].preview }).click();
      await expect(page).toHaveURL(/preview=1/);
      await expect(page.locator('#preview-caption')).toBeVisible();
      await expect(page.getByRole('button', { name: text[lang].confirm })).toBeVisible();
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-consent-preview`);

      // Confirming needs a card check made for it: the page comes back asking for one.
      await page.getByRole('button', { name: text[lang].confirm }).click();
      await expect(page.getByRole('alert', { name: lang === 'ja' ? '入力内容を確認してください' : 'Please check the form' })).toBeVisible();
      await expect(page.locator('#preview-caption')).toBeVisible();
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-consent-card-check`);
      expect(errors).toEqual([]);
    });
  });
}

test('grant with the card, the institution reads, the log shows it, revoke, refused', async ({ page }, testInfo) => {
  test.skip(!scriptsEnabled(testInfo), 'checking the card needs JavaScript');
  const errors = watchConsole(page);
  await useLanguage(page, 'ja');
  await signInAs(page, 0);
  await holdCard(page, 0);
  // Each width's run uses its own pharmacy, so the two runs never meet.
  const pick = testInfo.project.name.endsWith('320') ? 0 : 1;
  await page.goto('/consents?prefecture=13');
  const result = page.getByRole('list', { name: '検索結果' }).getByRole('link').nth(pick);
  const href = (await result.getAttribute('href')) ?? '';
  const code = new URLSearchParams(href.split('?')[1].split('#')[0]).get('institution') ?? '';
  expect(code).toMatch(/^\d{10}$/);
  await result.click();
  await waitForHydration(page);
  await page.getByLabel('お薬の記録', { exact: true }).check();
  await page.getByLabel(text.ja.untilRevoked).check();
  await page.getByRole('button', { name: text.ja.preview }).click();
  await waitForHydration(page);
  await page.getByRole('button', { name: text.ja.confirm }).click();
  await waitForHydration(page);
  await page.getByRole('button', { name: text.ja.card }).click();
  await expect(page.getByRole('status').filter({ hasText: text.ja.granted })).toBeVisible();

  // The operator issues the pharmacy a credential; its system reads the medicines.
  const token = portal(['institutions', 'issue-credential', '--code', code, '--label', `e2e ${testInfo.project.name}`]).trim().split('\n').pop() ?? '';
  const [insurer, symbol, number, branch] = demoEnrollment(personaKey(0)).member.split(':');
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(new Date());
  const read = () => page.request.post('/institution/v1/medications', {
    headers: { authorization: `Bearer ${token}` },
    data: { insured: { insurer, symbol, number, branch }, visit_date: today },
  });
  const allowed = await read();
  expect(allowed.status()).toBe(200);
  const body = await allowed.json();
  expect(body.records.length).toBeGreaterThan(0);

  // The read is on the patient's log page at once.
  await page.goto(`/access-log?who=${code}`);
  const rows = page.locator('#entries-caption').locator('xpath=..').locator('tbody tr');
  await expect(rows.first()).toContainText(`お薬の記録を閲覧しました（${body.records.length}件）`);
  await expect(rows.first()).toContainText(`同意 #${body.consent_id} による`);

  // Revoked from the log page's button beside the pharmacy, with the card: the next read is
  // refused, and that is logged too.
  const accessNow = page.locator('section').filter({ has: page.locator('#access-now-heading') });
  await accessNow.getByRole('listitem').filter({ hasText: code }).getByRole('button', { name: text.ja.revoke }).click();
  await waitForHydration(page);
  await page.getByRole('button', { name: text.ja.card }).click();
  await expect(page.getByRole('status').filter({ hasText: text.ja.revoked })).toBeVisible();
  const refused = await read();
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('consent_revoked');
  await page.goto(`/access-log?who=${code}&outcome=refused`);
  await expect(rows.first()).toContainText('同意は取り消されています');
  expect(errors).toEqual([]);
});
