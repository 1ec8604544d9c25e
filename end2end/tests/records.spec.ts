// Records pages as a patient uses them: every persona at both widths, in both languages, hydrated
// (the chart is drawn) and with scripts blocked (the tables and summaries are the content), with
// axe-core and no console errors; the filter form and the pages work without JavaScript.
import * as fs from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  checkRenderedDom, signInAs, expectNoAxeViolations, expectNoHorizontalScroll, languages, screenshot,
  scriptsEnabled, useLanguage, waitForHydration, watchConsole,
} from './support';

const text = {
  ja: { correction: '支払額と補填の記録', record: '記録する', saved: '記録しました', withdraw: '記録を取り消す', withdrawn: '取り消し（通知の金額に戻す）', asNotice: '通知のとおり', back: '医療費のページに戻る', addReceipt: '追加する', badAmount: '金額は 1500000 のように', insurance: '保険の資格', designated: '指定医療機関', showNumber: '番号を表示', notMine: '自分の記録ではない', report: '記録の確認を依頼する', notMeReason: '別の人の記録だと思う', submitReport: '確認を依頼する', received: '確認の依頼を受け付けました', chooseReason: '理由を選んでください', costs: '医療費の記録', costsEmpty: 'まだ医療費の記録がありません', export: '医療費集計フォーム（CSV）をダウンロード', workbook: '医療費集計フォーム（Excel）をダウンロード', badIncome: '金額は 1500000 のように', estimate: '試算する', threshold: '総所得金額等の5%', checkups: '健診の記録', checkupsEmpty: 'まだ健診の記録がありません', laterElderly: '後期高齢者健診には特定保健指導の区分はありません', verdict: 'メタボリックシンドロームの判定', meds: 'お薬の記録', empty: 'まだお薬の記録がありません', check: '絞り込みの条件を確認してください', badDate: '日付は 2024-05-01 の形で', signIn: 'カードでサインイン', next: '次のページ' },
  en: { correction: 'What you paid and what was refunded', record: 'Record', saved: 'Recorded.', withdraw: 'Withdraw the record', withdrawn: 'Withdrawn (back to the notice)', asNotice: 'As on the notice', back: 'Back to the costs', addReceipt: 'Add', badAmount: 'Enter the amount in digits', insurance: 'Insurance', designated: 'Designated institutions', showNumber: 'Show number', notMine: 'Not mine', report: 'Report a record that is not yours', notMeReason: "I think it is someone else's", submitReport: 'Ask for a check', received: 'The record is being checked', chooseReason: 'Choose a reason', costs: 'Medical costs', costsEmpty: 'No medical costs yet', export: 'medical expense form (CSV)', workbook: 'medical expense form (Excel)', badIncome: 'Enter the amount in digits', estimate: 'Estimate', threshold: '5% of total income', checkups: 'Checkups', checkupsEmpty: 'No checkups yet', laterElderly: 'Late-stage elderly checkups have no guidance level', verdict: 'Metabolic syndrome', meds: 'Medicines', empty: 'No medicines yet', check: 'Please check the filter', badDate: 'Enter the date as 2024-05-01', signIn: 'Sign in with card', next: 'Next page' },
};

for (const lang of languages) {
  test.describe(`medicines in ${lang}`, () => {
    test.beforeEach(async ({ page }) => { await useLanguage(page, lang); });

    for (const [index, persona] of [[1, 'elderly'], [4, 'no-data'], [5, 'heavy']] as const) {
      test(`medicines page: ${persona}`, async ({ page }, testInfo) => {
        const errors = watchConsole(page);
        await signInAs(page, index);
        await page.goto('/medications');
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].meds);
        await expect(page).toHaveTitle(new RegExp(`^${text[lang].meds} \\|`));
        if (persona === 'no-data') {
          await expect(page.getByText(text[lang].empty)).toBeVisible();
        } else {
          await expect(page.locator('#list-caption')).toBeVisible();
          await expect(page.locator('#episodes-caption')).toBeVisible();
          const canvas = page.locator('#meds-timeline');
          if (scriptsEnabled(testInfo)) {
            await waitForHydration(page);
            // The chart is drawn from the vendored ECharts, sized from its container.
            await expect(canvas.locator('canvas')).toBeVisible({ timeout: 15_000 });
            const box = await canvas.boundingBox();
            expect(box?.width ?? 0).toBeGreaterThan(200);
            expect(box?.height ?? 0).toBeGreaterThan(100);
          } else {
            await expect(canvas).toBeHidden();
          }
        }
        await checkRenderedDom(page, testInfo, async (p) => {
          await expectNoHorizontalScroll(p);
          await expectNoAxeViolations(p);
        });
        await screenshot(page, testInfo, `${lang}-medications-${persona}`);
        expect(errors).toEqual([]);
      });
    }

    for (const [index, persona] of [[0, 'office-worker'], [1, 'elderly'], [4, 'no-data']] as const) {
      test(`checkups page: ${persona}`, async ({ page }, testInfo) => {
        const errors = watchConsole(page);
        await signInAs(page, index);
        await page.goto('/checkups');
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].checkups);
        await expect(page).toHaveTitle(new RegExp(`^${text[lang].checkups} \\|`));
        if (persona === 'no-data') {
          await expect(page.getByText(text[lang].checkupsEmpty)).toBeVisible();
        } else {
          // Every item's table states its cut-offs; HbA1c is measured for every persona with checkups.
          await expect(page.locator('caption', { hasText: 'HbA1c' })).toContainText(lang === 'ja' ? '5.6以上' : '5.6 or more');
          if (persona === 'elderly') {
            await expect(page.getByText(text[lang].laterElderly)).toBeVisible();
            await expect(page.getByText(text[lang].verdict)).toHaveCount(0);
          } else {
            await expect(page.getByText(text[lang].verdict)).toBeVisible();
          }
          const charts = page.locator('.chart__canvas');
          if (scriptsEnabled(testInfo)) {
            await waitForHydration(page);
            await expect(charts.first().locator('canvas')).toBeVisible({ timeout: 15_000 });
            expect(await page.locator('.chart__canvas canvas').count()).toBe(await charts.count());
          } else {
            await expect(charts.first()).toBeHidden();
          }
        }
        await checkRenderedDom(page, testInfo, async (p) => {
          await expectNoHorizontalScroll(p);
          await expectNoAxeViolations(p);
        });
        await screenshot(page, testInfo, `${lang}-checkups-${persona}`);
        expect(errors).toEqual([]);
      });
    }

    for (const [index, persona] of [[1, 'elderly'], [4, 'no-data']] as const) {
      test(`costs page: ${persona}`, async ({ page }, testInfo) => {
        const errors = watchConsole(page);
        await signInAs(page, index);
        await page.goto('/costs');
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].costs);
        await expect(page).toHaveTitle(new RegExp(`^${text[lang].costs} \\|`));
        if (persona === 'no-data') {
          await expect(page.getByText(text[lang].costsEmpty)).toBeVisible();
        } else {
          await expect(page.locator('#months-caption')).toBeVisible();
          await expect(page.locator('#yearly-caption')).toBeVisible();
          if (scriptsEnabled(testInfo)) {
            await waitForHydration(page);
            await expect(page.locator('#costs-monthly canvas')).toBeVisible({ timeout: 15_000 });
          }
        }
        await checkRenderedDom(page, testInfo, async (p) => {
          await expectNoHorizontalScroll(p);
          await expectNoAxeViolations(p);
        });
        await screenshot(page, testInfo, `${lang}-costs-${persona}`);
        expect(errors).toEqual([]);
      });
    }

    test('the deduction threshold follows an income entered, and a bad one is named', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 1);
      await page.goto('/costs?year=2025');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      // The income is posted: the answer is the page, and the amount is in no address.
      await page.locator('#f-income').fill('1500000');
      await page.getByRole('button', { name: text[lang].estimate }).click();
      await expect(page.locator('#deduction-heading')).toContainText('2025');
      await expect(page.getByText(text[lang].threshold)).toBeVisible();
      await expect(page.locator('#f-income')).toHaveValue('1500000');
      expect(page.url()).not.toContain('1500000');
      await page.locator('#f-income').fill('abc');
      await page.getByRole('button', { name: text[lang].estimate }).click();
      await expect(page.getByRole('alert')).toContainText(text[lang].badIncome);
      await expect(page.locator('#f-income')).toHaveValue('abc');
      await expect(page.locator('#f-income')).toHaveAttribute('aria-invalid', 'true');
      expect(page.url()).not.toContain('abc');
      await checkRenderedDom(page, testInfo, async (p) => { await expectNoAxeViolations(p); });
      expect(errors).toEqual([]);
    });

    test('a year downloads as the tax agency form, with or without scripts', async ({ page }, testInfo) => {
      await signInAs(page, 1);
      await page.goto('/costs?year=2025');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: text[lang].export }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('iryouhi_2025.csv');
      const file = await download.path();
      const bytes = fs.readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter((l) => l.length > 0);
      expect(lines[0].split(',')).toEqual([
        '医療を受けた人', '病院・薬局などの支払先の名称', '診療・治療', '医薬品購入', '介護保険サービス',
        'その他の医療費', '支払った医療費の金額', '左のうち、補填される金額', '支払年月日',
      ]);
      expect(lines.length).toBeGreaterThan(12);
      // Every row was paid in 2025 and names the patient.
      for (const line of lines.slice(1)) {
        expect(line).toMatch(/,2025\/\d\d\/\d\d$/);
        expect(line.startsWith('鈴木 和子,')).toBe(true);
      }
      // The agency's own workbook, for the e-Tax site to read (its cells: tests/costs_http.rs).
      const [workbook] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: text[lang].workbook }).click(),
      ]);
      expect(workbook.suggestedFilename()).toBe('iryouhi_form_2025.xlsx');
      const zip = fs.readFileSync(await workbook.path());
      expect(zip.subarray(0, 2).toString('latin1')).toBe('PK');
    });

    test('a record reported as not mine leaves the list at once and is listed as being checked', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 3);
      await page.goto('/medications');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      const range = page.locator('#list-heading').locator('xpath=..').locator('p').first();
      const total = async () => Math.max(...((await range.textContent()) ?? '').match(/\d+/g)!.map(Number));
      const before = await total();
      const firstRow = page.locator('#list-caption').locator('xpath=..').locator('tbody tr').first();
      const drug = (await firstRow.locator('th').textContent()) ?? '';
      await firstRow.getByRole('link', { name: text[lang].notMine }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].report);
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await checkRenderedDom(page, testInfo, async (p) => { await expectNoAxeViolations(p); });
      await page.getByLabel(text[lang].notMeReason).check();
      await page.getByRole('button', { name: text[lang].submitReport }).click();
      await expect(page).toHaveURL(/\/medications\?reported=1/);
      await expect(page.getByRole('status')).toContainText(text[lang].received);
      expect(await total()).toBe(before - 1);
      await expect(page.locator('#disputes-heading')).toBeVisible();
      await expect(page.locator('#disputes-heading').locator('xpath=..')).toContainText(drug.split('\n')[0].slice(0, 6));
      expect(errors).toEqual([]);
    });

    test('a report without a reason comes back with the error and what was typed', async ({ page, baseURL }, testInfo) => {
      await signInAs(page, 2);
      await page.goto('/medications?from=2000-01-01');
      const link = page.locator('#list-caption').locator('xpath=..').locator('tbody tr').first().getByRole('link', { name: text[lang].notMine });
      const href = (await link.getAttribute('href')) ?? '';
      const id = new URL(href, baseURL).searchParams.get('id') ?? '';
      // The server checks the reason itself, whatever the browser does with `required`: the
      // browser's own post goes out with the reason taken off on the way.
      await page.goto(`/report?kind=medication&id=${id}`);
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await page.getByLabel(text[lang].notMeReason).check();
      await page.locator('#f-note').fill('メモ');
      await page.route('**/report', (route) =>
        route.continue({ postData: new URLSearchParams({ kind: 'medication', id, reason: '', note: 'メモ' }).toString() }));
      await page.getByRole('button', { name: text[lang].submitReport }).click();
      await expect(page.getByRole('alert')).toContainText(text[lang].chooseReason);
      await expect(page.locator('#f-note')).toHaveValue('メモ');
      // The answer came to the post itself: nothing typed is in the address.
      expect(page.url()).not.toContain('note');
      await page.unroute('**/report');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await checkRenderedDom(page, testInfo, async (p) => { await expectNoAxeViolations(p); });
    });

    for (const [index, persona] of [[0, 'office-worker'], [3, 'welfare']] as const) {
      test(`insurance page: ${persona}`, async ({ page }, testInfo) => {
        const errors = watchConsole(page);
        await signInAs(page, index);
        await page.goto('/insurance');
        if (scriptsEnabled(testInfo)) await waitForHydration(page);
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].insurance);
        await expect(page).toHaveTitle(new RegExp(`^${text[lang].insurance} \\|`));
        await expect(page.locator('#history-caption')).toBeVisible();
        const rows = page.locator('#history-caption').locator('xpath=..').locator('tbody tr');
        expect(await rows.count()).toBeGreaterThan(0);
        if (persona === 'welfare') await expect(page.getByText(text[lang].designated)).toBeVisible();
        // The number toggle stays on this page.
        await page.getByRole('button', { name: text[lang].showNumber }).click();
        await expect(page).toHaveURL(/\/insurance/);
        await checkRenderedDom(page, testInfo, async (p) => {
          await expectNoHorizontalScroll(p);
          await expectNoAxeViolations(p);
        });
        await screenshot(page, testInfo, `${lang}-insurance-${persona}`);
        expect(errors).toEqual([]);
      });
    }

    test('a receipt is added, counted, exported and removed, without needing scripts', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 1);
      await page.goto('/costs?year=2025');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      // A payee with a comma, unique to this run of the test.
      const payee = `タクシー, ${testInfo.project.name} ${lang}`;
      // A mistake first: every problem is named, and what was typed comes back.
      await page.locator('#f-paid_on').fill('2025-06-10');
      await page.locator('#f-payee').fill(payee);
      await page.locator('#f-amount').fill('三千円');
      await page.getByRole('button', { name: text[lang].addReceipt }).click();
      await expect(page.getByRole('alert')).toContainText(text[lang].badAmount);
      await expect(page.locator('#f-payee')).toHaveValue(payee);
      await expect(page.locator('#f-amount')).toHaveAttribute('aria-invalid', 'true');
      await page.locator('#f-kind').selectOption('transport');
      await page.locator('#f-amount').fill('3,200');
      await page.getByRole('button', { name: text[lang].addReceipt }).click();
      await expect(page).toHaveURL(/\/costs\?year=2025/);
      const row = page.locator('#receipts-caption').locator('xpath=..').locator('tbody tr', { hasText: payee });
      await expect(row).toContainText(lang === 'ja' ? '3,200円' : '¥3,200');
      await checkRenderedDom(page, testInfo, async (p) => { await expectNoAxeViolations(p); });
      // The download carries it, quoted because of the comma.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: text[lang].export }).click(),
      ]);
      const csv = fs.readFileSync(await download.path()).toString('utf8');
      expect(csv).toContain(`"${payee}",,,,該当する,3200,0,2025/06/10`);
      await row.getByRole('button').click();
      await expect(page).toHaveURL(/\/costs\?year=2025/);
      await expect(page.locator('tbody tr', { hasText: payee })).toHaveCount(0);
      expect(errors).toEqual([]);
    });

    test('what was really paid and refunded for a month is recorded, counted, exported and withdrawn, without needing scripts', async ({ page, baseURL }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 1);
      await page.goto('/costs?year=2025');
      // Each project and language corrects a month and institution of its own: they run at once.
      const links = page.locator('#notices-caption').locator('xpath=..').locator('a[href^="/costs/correction?"]');
      const hrefs = [...new Set(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '')))];
      const combo = ['js-320', 'nojs-320', 'js-1280', 'nojs-1280'].indexOf(testInfo.project.name) * 2 + languages.indexOf(lang);
      expect(hrefs.length).toBeGreaterThan(combo);
      const href = hrefs[combo];
      const month = new URL(href, baseURL).searchParams.get('month') ?? '';
      await page.goto(href);
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(text[lang].correction);
      await expect(page.locator('#current-heading').locator('xpath=..')).toContainText(text[lang].asNotice);
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      // A mistake is named and what was typed comes back, not in the address.
      await page.locator('#f-reimbursed').fill('千円');
      await page.getByRole('button', { name: text[lang].record, exact: true }).click();
      await expect(page.getByRole('alert')).toContainText(text[lang].badAmount);
      await expect(page.locator('#f-reimbursed')).toHaveValue('千円');
      await expect(page.locator('#f-reimbursed')).toHaveAttribute('aria-invalid', 'true');
      expect(page.url()).not.toContain('reimbursed');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await checkRenderedDom(page, testInfo, async (p) => { await expectNoAxeViolations(p); });
      // Paid the whole cost (a claim reduced after the visit) and a refund unique to this run.
      const total = Number(((await page.locator('#notice-caption').locator('xpath=..').locator('tfoot td.num').first().textContent()) ?? '').replace(/\D/g, ''));
      const refund = Math.min(total, 1 + combo);
      await page.locator('#f-paid').fill(String(total));
      await page.locator('#f-reimbursed').fill(String(refund));
      await page.getByRole('button', { name: text[lang].record, exact: true }).click();
      await expect(page).toHaveURL(/saved=1/);
      await expect(page.getByRole('status')).toContainText(text[lang].saved);
      const shown = lang === 'ja' ? `${refund.toLocaleString('en')}円` : `¥${refund.toLocaleString('en')}`;
      await expect(page.locator('#history-caption').locator('xpath=..')).toContainText(shown);
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      await checkRenderedDom(page, testInfo, async (p) => {
        await expectNoHorizontalScroll(p);
        await expectNoAxeViolations(p);
      });
      await screenshot(page, testInfo, `${lang}-cost-correction`);
      // Counted on the costs page and carried in the 補填 column of the download.
      await page.getByRole('link', { name: text[lang].back }).click();
      await expect(page.locator('#notices-caption').locator('xpath=..')).toContainText(shown);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: text[lang].export }).click(),
      ]);
      const csv = fs.readFileSync(await download.path()).toString('utf8');
      expect(csv).toMatch(new RegExp(`,${total},${refund},${month.replace('-', '/')}/\\d\\d\r\n`));
      // Withdrawn: the notice's amounts again, and the history keeps both steps.
      await page.goto(href);
      await page.getByRole('button', { name: text[lang].withdraw }).click();
      await expect(page).toHaveURL(/saved=1/);
      await expect(page.locator('#current-heading').locator('xpath=..')).toContainText(text[lang].asNotice);
      await expect(page.locator('#history-caption').locator('xpath=..')).toContainText(text[lang].withdrawn);
      expect(errors).toEqual([]);
    });

    test('a bad filter is named, keeps what was typed, and the rest still applies', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 0);
      await page.goto('/medications?from=2024-13-40&route=as_needed');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      const summary = page.getByRole('alert');
      await expect(summary).toContainText(text[lang].check);
      await expect(summary).toContainText(text[lang].badDate);
      await expect(page.locator('#f-from')).toHaveAttribute('aria-invalid', 'true');
      await expect(page.locator('#f-route')).toHaveValue('as_needed');
      // Every listed row is an as-needed medicine (頓服).
      const routes = await page.locator('#list-caption').locator('xpath=..').locator('tbody tr td:nth-child(4)').allTextContents();
      expect(routes.length).toBeGreaterThan(0);
      expect(new Set(routes)).toEqual(new Set([lang === 'ja' ? '頓服' : 'As needed']));
      await checkRenderedDom(page, testInfo, async (p) => { await expectNoAxeViolations(p); });
      expect(errors).toEqual([]);
    });

    test('pages of fifty move on with links that keep the filters', async ({ page }, testInfo) => {
      const errors = watchConsole(page);
      await signInAs(page, 5);
      await page.goto('/medications?from=2020-01-01');
      if (scriptsEnabled(testInfo)) await waitForHydration(page);
      const rows = page.locator('#list-caption').locator('xpath=..').locator('tbody tr');
      await expect(rows).toHaveCount(50);
      const first = await rows.first().textContent();
      await page.getByRole('link', { name: text[lang].next }).click();
      await expect(page).toHaveURL(/from=2020-01-01&page=2/);
      await expect(page.locator('#list-caption')).toContainText(lang === 'ja' ? '2/' : 'page 2 of');
      await expect(rows.first()).not.toHaveText(first ?? '');
      expect(errors).toEqual([]);
    });
  });
}

for (const path of ['/medications', '/checkups', '/costs', '/insurance', '/account', '/report?kind=medication&id=1']) {
  test(`signed out, ${path} shows no record and offers sign-in`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('link', { name: text.ja.signIn })).toBeVisible();
    await expect(page.locator('table')).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText('さんの記録');
  });
}

test('signed out, the tax-form download is refused', async ({ request }) => {
  const res = await request.get('/costs/export?year=2025', { maxRedirects: 0 });
  expect(res.status()).toBeGreaterThanOrEqual(300);
  expect(await res.text()).not.toContain('医療費');
});
