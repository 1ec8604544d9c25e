// Runs once before every other test: enrolls a card for each demo persona with Chromium's
// virtual authenticator, the way a patient does (enrollment code, then "Sign in with card"),
// then adds one more card per extra test worker from the account page. Each worker signs in
// with its own card, so the cards' signature counters never race. The cards (with their
// private keys) are written next to the database for `signInAs`.
import { expect, test as setup } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import { addVirtualCard, cardsFile, checkCard, enrollAndSignIn, personaKey, waitForHydration } from './support';

setup('a card per persona and worker', async ({ browser }, testInfo) => {
  setup.setTimeout(360_000);
  const slots = testInfo.config.workers;
  const wallet: Record<string, unknown[]> = {};
  // The six named personas, and two generated patients for the counter's two-patient flow
  // (DEMO-0007 to DEMO-0012 are enrolled by auth.spec.ts and cards.spec.ts themselves).
  for (const index of [0, 1, 2, 3, 4, 5, 12, 13]) {
    const linkKey = personaKey(index);
    const context = await browser.newContext({ javaScriptEnabled: true });
    await context.addCookies([{ name: 'i18n_pref_locale', value: 'en', url: testInfo.project.use.baseURL! }]);
    const page = await context.newPage();
    let { cdp, authenticatorId } = await addVirtualCard(page);
    await enrollAndSignIn(page, linkKey);
    const cards = [(await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]];
    for (let slot = 1; slot < slots; slot++) {
      // Adding a card needs a check of a card already registered, made for that (signing in
      // does not count): the old device answers it...
      await page.goto('/account');
      await waitForHydration(page);
      await checkCard(page, 'add_card');
      // ...and a new device holds the new card: the old one would refuse, holding an excluded
      // credential.
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      ({ authenticatorId } = (await cdp.send('WebAuthn.addVirtualAuthenticator', { options: virtualCardOptions })));
      await page.goto('/account');
      await waitForHydration(page);
      await page.getByRole('button', { name: 'Add another card' }).click();
      await page.waitForURL(/card_added=1/);
      await expect(page.getByRole('status').first()).toContainText('new card is registered');
      cards.push((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials[0]);
    }
    wallet[linkKey] = cards;
    await context.close();
  }
  fs.writeFileSync(cardsFile(), JSON.stringify({ base: Date.now(), wallet }));
  expect(Object.keys(wallet)).toHaveLength(8);
});

const virtualCardOptions = {
  protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'usb', hasResidentKey: true,
  hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
} as const;
