// Accessibility: axe-core on the login page and the dashboard, in Korean and English, in the
// light and dark themes (and the system theme with a dark OS preference). Any violation with
// impact "serious" or "critical" fails, with a readable list of what and where.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ADMIN,
  Harness,
  STEP_TIMEOUT_MS,
  TEXT,
  expectHtmlAttr,
  expectText,
  formatViolations,
  login,
  runAxe,
  setupAdmin,
  submitLogin,
  switchTheme,
  visit,
} from './helpers.js';

const LOCALES = [
  { locale: 'ko-KR', lang: 'ko' },
  { locale: 'en-US', lang: 'en' },
];
const THEMES = ['light', 'dark'];

async function assertNoSeriousViolations(page, what) {
  const violations = await runAxe(page);
  assert.equal(
    violations.length,
    0,
    `axe found ${violations.length} serious/critical violation(s) on ${what} (${page.url()}):\n${formatViolations(violations)}`,
  );
}

describe('accessibility (axe-core)', { timeout: 15 * 60_000 }, () => {
  /** @type {Harness} */
  let h;

  before(async () => {
    h = await Harness.start('a11y');
    const { page, context } = await h.newPage({ locale: 'ko-KR' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'ko' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  for (const { locale, lang } of LOCALES) {
    for (const theme of THEMES) {
      it(`login page, ${lang}, ${theme} theme`, { timeout: STEP_TIMEOUT_MS }, step(async () => {
        const { page, context } = await h.newPage({ locale });
        await context.addCookies([{ name: 'nuri_theme', value: theme, url: h.baseURL }]);
        await visit(page, '/login', { expectStatus: 200 });
        await expectHtmlAttr(page, 'lang', lang);
        await expectHtmlAttr(page, 'data-theme', theme);
        await expectText(page.locator('h1'), TEXT[lang].login);
        await assertNoSeriousViolations(page, `the login page (${lang}, ${theme})`);
        await context.close();
      }));
    }

    it(`dashboard, ${lang}, light and dark theme (switched with the theme buttons)`, { timeout: STEP_TIMEOUT_MS }, step(async () => {
      const { page, context } = await h.newPage({ locale });
      await login(page, ADMIN, { locale: lang });
      await expectHtmlAttr(page, 'lang', lang);
      for (const theme of THEMES) {
        await switchTheme(page, theme);
        await expectText(page.locator('h1'), TEXT[lang].dashboard);
        await assertNoSeriousViolations(page, `the dashboard (${lang}, ${theme})`);
      }
      await context.close();
    }));
  }

  it('login page showing a wrong-password error, ko, dark theme', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page, context, watch } = await h.newPage({ locale: 'ko-KR' });
    watch.allowNetworkErrors('/api/fn/login'); // the failed login's error response is expected
    await context.addCookies([{ name: 'nuri_theme', value: 'dark', url: h.baseURL }]);
    await visit(page, '/login');
    await submitLogin(page, { email: ADMIN.email, password: 'not-the-password' });
    await page.locator('.alert.error').waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    await assertNoSeriousViolations(page, 'the login page with an error (ko, dark)');
    await context.close();
  }));

  it('system theme with a dark OS preference: login page and dashboard, en', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', colorScheme: 'dark' });
    await visit(page, '/login');
    await expectHtmlAttr(page, 'data-theme', 'system');
    await assertNoSeriousViolations(page, 'the login page (en, system theme, OS dark)');
    await login(page, ADMIN, { locale: 'en' });
    await assertNoSeriousViolations(page, 'the dashboard (en, system theme, OS dark)');
    await context.close();
  }));

  /** `h` only exists once `before` has run, so the wrapper is resolved lazily. */
  function step(fn) {
    return (t) => h.step(fn)(t);
  }
});
