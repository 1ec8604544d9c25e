// A hospital starts emergency access and reads a patient's medicines without consent; the
// patient finds the notice on their home page, finds the read in their access log and reports
// "I don't know this clinic or pharmacy" beside it, and sees the report listed as being checked.
// In both languages, at both widths, hydrated and with scripts blocked (the report is a plain
// form post); axe-core passes on every page on the way, the form's mistakes included.
import { expect, Page, test } from '@playwright/test';
import {
  checkRenderedDom, codeOf, expectNoAxeViolations, expectNoHorizontalScroll, insuredOf, issueCredential,
  languages, screenshot, scriptsEnabled, signInAs, todayInJapan, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: {
    notice: '緊急時アクセスを始めました', report: /の記録を報告する$/, title: 'アクセス記録について報告する',
    unknown: 'この医療機関・薬局を知りません', note: '補足（任意）', send: '報告する', errors: '入力内容を確認してください',
    received: '報告を受け付けました', reports: '報告した記録', open: '確認中', unknownHospital: '知らない病院です',
    now: '今あなたのデータを見られる医療機関・薬局', emergency: '緊急時アクセス（同意なし）',
  },
  en: {
    notice: 'started emergency access', report: /^Report the entry of /, title: 'Report a log entry',
    unknown: "I don't know this clinic or pharmacy", note: 'More details (optional)', send: 'Send the report',
    errors: 'Please check the form', received: 'Your report was received', reports: 'Entries you reported',
    open: 'Being checked', unknownHospital: 'I have never been to this hospital',
    now: 'Who can see your data now', emergency: 'Emergency access (no consent)',
  },
};

// Each run has its own pair of hospital and patient, so the runs' entries and reports never
// meet: a hospital per project, a patient per language.
const hospitals: Record<string, { ja: string; en: string }> = {
  'js-320': { ja: '東京中央病院', en: 'Tokyo Central Hospital' },
  'nojs-320': { ja: 'みなとみらい総合病院', en: 'Minatomirai General Hospital' },
  'js-1280': { ja: '大阪北総合病院', en: 'Osaka Kita General Hospital' },
  'nojs-1280': { ja: '札幌すずらん病院', en: 'Sapporo Suzuran Hospital' },
};
// Both hold an insured-person card (persona 3 has a welfare ticket, which the API names apart).
const patients = { ja: 5, en: 0 };

async function checked(page: Page, name: string) {
  await checkRenderedDom(page, test.info(), async (p) => {
    await expectNoHorizontalScroll(p);
    await expectNoAxeViolations(p);
  });
  await screenshot(page, test.info(), name);
}

for (const lang of languages) {
  test(`emergency access noticed and reported in ${lang}`, async ({ page }, testInfo) => {
    const errors = watchConsole(page);
    const hospital = hospitals[testInfo.project.name];
    const patient = patients[lang];
    await useLanguage(page, lang);
    await signInAs(page, patient);
    const code = await codeOf(page, hospital.ja, hospital[lang]);
    const token = issueCredential(code, `e2e emergency ${testInfo.project.name} ${lang}`);

    // The hospital's system: emergency access with a reason, then a read it allows.
    const call = (path: string, data: unknown) =>
      page.request.post(`/institution/v1/${path}`, { headers: { authorization: `Bearer ${token}` }, data });
    const started = await call('emergency', {
      insured: insuredOf(patient), reason: 'unconscious', note: `e2e ${testInfo.project.name} ${Date.now()}`,
    });
    expect(started.status(), await started.text()).toBe(201);
    const read = await call('medications', { insured: insuredOf(patient), visit_date: todayInJapan() });
    expect(read.status()).toBe(200);
    expect((await read.json()).emergency_id).toBe((await started.json()).emergency_id);

    // Home: the notice names the hospital, in the reader's language.
    await page.goto('/');
    if (scriptsEnabled(testInfo)) await waitForHydration(page);
    const notice = page.locator('[data-topic^="emergency:"]').filter({ hasText: hospital[lang] });
    await expect(notice.first()).toContainText(text[lang].notice);
    await checked(page, `${lang}-home-emergency`);

    // The log: the hospital is among who can see the data now, as emergency access with
    // nothing to revoke; filtered to the hospital, the newest entry is its read.
    await page.goto(`/access-log?who=${code}`);
    const now = page.getByRole('region', { name: text[lang].now }).getByRole('listitem')
      .filter({ hasText: hospital[lang] });
    await expect(now).toContainText(text[lang].emergency);
    await expect(now.getByRole('button')).toHaveCount(0);
    const rows = page.locator('#entries-caption').locator('xpath=..').locator('tbody tr');
    await expect(rows.first()).toContainText(hospital[lang]);
    await rows.first().getByRole('link', { name: text[lang].report }).click();
    await expect(page).toHaveURL(/\/access-log\/report\?entry=\d+$/);
    if (scriptsEnabled(testInfo)) await waitForHydration(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].title);
    await expect(page).toHaveTitle(new RegExp(`^${text[lang].title} \\|`));
    await expect(page.getByRole('main')).toContainText(hospital[lang]);
    await checked(page, `${lang}-access-report`);

    if (scriptsEnabled(testInfo)) {
      // A browser that does not check the form itself: the post's answer names the mistake,
      // keeps what was typed, and stores nothing.
      await page.getByLabel(text[lang].note).fill(text[lang].unknownHospital);
      await page.locator('#access-report-form').evaluate((f: HTMLFormElement) => { f.noValidate = true; });
      await page.getByRole('button', { name: text[lang].send }).click();
      await expect(page.getByRole('alert')).toContainText(text[lang].errors);
      await expect(page.getByLabel(text[lang].note)).toHaveValue(text[lang].unknownHospital);
      await checked(page, `${lang}-access-report-error`);
    }

    await page.getByRole('radio', { name: text[lang].unknown }).check();
    await page.getByLabel(text[lang].note).fill(text[lang].unknownHospital);
    await page.getByRole('button', { name: text[lang].send }).click();
    await expect(page).toHaveURL(/\/access-log\?reported=1/);
    await expect(page.getByRole('status').filter({ hasText: text[lang].received })).toBeVisible();
    const listed = page.getByRole('region', { name: text[lang].reports }).getByRole('listitem')
      .filter({ hasText: hospital[lang] });
    await expect(listed.first()).toContainText(text[lang].unknown);
    await expect(listed.first()).toContainText(text[lang].open);
    await checked(page, `${lang}-access-log-reported`);

    // The entry now shows where its report stands instead of a second "Report".
    await page.goto(`/access-log?who=${code}`);
    await expect(rows.first()).toContainText(text[lang].open);
    await expect(rows.first().getByRole('link', { name: text[lang].report })).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}
