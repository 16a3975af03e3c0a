// Sign-in journeys: first-admin setup, language and theme switches, logout and login (with and
// without JavaScript), the signed-out redirect, the JSON API and the 404 page.
//
// The journeys run in order and build on each other (journey a creates the admin).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ADMIN,
  Harness,
  STEP_TIMEOUT_MS,
  TEXT,
  apiJson,
  assertHydrationBundleLoaded,
  expectHtmlAttr,
  expectRole,
  expectText,
  login,
  logout,
  settle,
  setupAdmin,
  submitLogin,
  switchLocale,
  switchTheme,
  visit,
  waitForPath,
} from './helpers.js';

const WRONG_PASSWORD = 'definitely-not-it';

describe('auth journeys', { timeout: 15 * 60_000 }, () => {
  /** @type {Harness} */
  let h;
  /** The Korean browser that sets up the admin and stays signed in through journeys a–c. */
  let ko;
  let adminSetUp = false;

  /**
   * Journeys build on journey a. When it was filtered out (--test-name-pattern), set the admin up
   * here; the setup link is single-use, so this is tried only once.
   */
  async function ensureAdmin() {
    if (adminSetUp) return;
    adminSetUp = true;
    await setupAdmin(ko.page, h.server.setupURL, ADMIN, { locale: 'ko' });
  }

  /** The Korean page, signed in, on the dashboard. */
  async function koDashboard() {
    await ensureAdmin();
    if (new URL(ko.page.url()).pathname !== '/') await login(ko.page, ADMIN, { locale: 'ko' });
    await expectHtmlAttr(ko.page, 'lang', 'ko');
    return ko;
  }

  before(async () => {
    h = await Harness.start('auth');
    ko = await h.newPage({ locale: 'ko-KR' });
  });
  after(async () => {
    await h?.close();
  });

  it('a. the first admin is set up from the printed link and lands on the Korean dashboard', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    const { page } = ko;
    adminSetUp = true;
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'ko' });
    assert.equal(new URL(page.url()).pathname, '/');
    await expectHtmlAttr(page, 'lang', 'ko');
    await expectText(page.locator('h1'), TEXT.ko.dashboard);
    await expectRole(page, TEXT.ko.admin);
    await assertHydrationBundleLoaded(page);
  }));

  it('a2. the setup link is single-use: the instance no longer offers setup', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    await ensureAdmin();
    const other = await h.newPage({ locale: 'ko-KR' });
    await visit(other.page, h.server.setupURL);
    assert.equal(await other.page.locator('#field-password').count(), 0, 'the setup form is still offered after setup');
    await other.context.close();
  }));

  it('b. switching the language to English is remembered, and back to Korean', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    const { page } = await koDashboard();
    await switchLocale(page, 'en');
    await expectText(page.locator('h1'), TEXT.en.dashboard);
    await expectRole(page, TEXT.en.admin);
    assert.equal(new URL(page.url()).pathname, '/', 'the language switch should come back to the same page');

    await page.reload({ waitUntil: 'load' });
    await settle(page);
    await expectHtmlAttr(page, 'lang', 'en');
    await expectText(page.locator('h1'), TEXT.en.dashboard);

    await switchLocale(page, 'ko');
    await expectText(page.locator('h1'), TEXT.ko.dashboard);
    await expectRole(page, TEXT.ko.admin);
  }));

  it('b2. switching the theme sets <html data-theme> and is remembered', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    const { page } = await koDashboard();
    await switchTheme(page, 'dark');
    await page.reload({ waitUntil: 'load' });
    await settle(page);
    await expectHtmlAttr(page, 'data-theme', 'dark');
    await switchTheme(page, 'light');
    await switchTheme(page, 'system');
    await expectText(page.locator('h1'), TEXT.ko.dashboard);
  }));

  it('c. logout, a wrong password (error shown, email kept), then a correct login', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    const { page, watch } = await koDashboard();
    await logout(page);
    await expectText(page.locator('h1'), TEXT.ko.login);

    // The failed login's HTTP error response is expected: Chromium logs it as a console error.
    const stopAllowing = watch.allowNetworkErrors('/api/fn/login');
    try {
      await submitLogin(page, { email: ADMIN.email, password: WRONG_PASSWORD });
      const alert = page.locator('.alert.error');
      await alert.waitFor({ state: 'visible' });
      assert.equal(await alert.getAttribute('role'), 'alert');
      assert.ok(((await alert.textContent()) ?? '').trim().length > 0, 'the error alert is empty');
      assert.equal(new URL(page.url()).pathname, '/login');
      assert.equal(await page.locator('#field-email').inputValue(), ADMIN.email, 'the email field lost its value');
      await settle(page);
    } finally {
      stopAllowing();
    }

    await page.locator('#field-password').fill(ADMIN.password);
    await page.locator('form:has(#field-password) button[type=submit]').click();
    await waitForPath(page, '/');
    await expectText(page.locator('h1'), TEXT.ko.dashboard);
    await expectRole(page, TEXT.ko.admin);
  }));

  it('d. a signed-out visit to / redirects to the login page, which then returns to /', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    await ensureAdmin();
    const { page, context } = await h.newPage({ locale: 'ko-KR' });
    await page.goto('/');
    await waitForPath(page, '/login');
    const next = new URL(page.url()).searchParams.get('next');
    assert.equal(next, '/', `expected /login?next=%2F, got ${page.url()}`);
    await expectText(page.locator('h1'), TEXT.ko.login);

    await submitLogin(page, ADMIN);
    await waitForPath(page, '/');
    await expectText(page.locator('h1'), TEXT.ko.dashboard);
    await context.close();
  }));

  it('e. without a cookie the language follows Accept-Language', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    for (const [locale, lang] of [['en-US', 'en'], ['ko-KR', 'ko']]) {
      const { page, context } = await h.newPage({ locale });
      await visit(page, '/login', { expectStatus: 200 });
      await expectHtmlAttr(page, 'lang', lang);
      await expectText(page.locator('h1'), TEXT[lang].login);
      await assertHydrationBundleLoaded(page);
      await context.close();
    }
  }));

  it('f. without JavaScript: wrong password, login, dashboard and logout all work as plain forms', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    await ensureAdmin();
    const { page, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await page.goto('/login');
    await expectText(page.locator('h1'), TEXT.en.login);

    await submitLogin(page, { email: ADMIN.email, password: WRONG_PASSWORD });
    await page.waitForLoadState('load');
    await page.locator('.alert.error').waitFor({ state: 'visible' });
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(new URL(page.url()).search, '', 'the error and the email must not travel in the URL');
    assert.equal(await page.locator('#field-email').inputValue(), ADMIN.email, 'the email field lost its value');

    await page.locator('#field-password').fill(ADMIN.password);
    await page.locator('form:has(#field-password) button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/');
    await expectText(page.locator('h1'), TEXT.en.dashboard);
    await expectRole(page, TEXT.en.admin);

    await page.locator('button[data-testid=logout]').click();
    await page.waitForURL((url) => url.pathname === '/login');
    await expectText(page.locator('h1'), TEXT.en.login);

    // Signed out for real: the dashboard sends us back.
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    await context.close();
  }));

  it('g. API: bearer login and /auth/me; /health', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    await ensureAdmin();
    const health = await apiJson(h.baseURL, '/api/v1/health');
    assert.equal(health.status, 200, `health: ${health.text}`);
    assert.equal(health.json?.status, 'ok', `health: ${health.text}`);

    const bad = await apiJson(h.baseURL, '/api/v1/auth/login', {
      method: 'POST',
      body: { email: ADMIN.email, password: WRONG_PASSWORD },
    });
    assert.ok(bad.status === 400 || bad.status === 401, `wrong password should be 400/401, got ${bad.status}: ${bad.text}`);
    assert.equal(bad.json?.access_token, undefined, 'a wrong password must not yield a token');

    const res = await apiJson(h.baseURL, '/api/v1/auth/login', {
      method: 'POST',
      body: { email: ADMIN.email, password: ADMIN.password },
    });
    assert.equal(res.status, 200, `login: ${res.text}`);
    const { access_token, refresh_token, token_type, expires_in } = res.json ?? {};
    assert.equal(typeof access_token, 'string', `login body: ${res.text}`);
    assert.ok(access_token.length > 0);
    assert.equal(typeof refresh_token, 'string', `login body: ${res.text}`);
    assert.equal(token_type, 'bearer');
    assert.ok(Number.isFinite(expires_in) && expires_in > 0, `expires_in: ${expires_in}`);

    const me = await apiJson(h.baseURL, '/api/v1/auth/me', { token: access_token });
    assert.equal(me.status, 200, `me: ${me.text}`);
    assert.equal(me.json?.email, ADMIN.email);
    assert.equal(me.json?.name, ADMIN.name);
    assert.equal(String(me.json?.role).toLowerCase(), 'admin');
    assert.ok(me.json?.id !== undefined, 'me has no id');
    assert.equal(me.json?.password_hash, undefined, 'me must not leak the password hash');

    const anonymous = await apiJson(h.baseURL, '/api/v1/auth/me');
    assert.equal(anonymous.status, 401, `me without a token: ${anonymous.status} ${anonymous.text}`);
  }));

  it('h. an unknown page is a rendered 404', { timeout: STEP_TIMEOUT_MS }, h_step(async () => {
    for (const [locale, lang] of [['ko-KR', 'ko'], ['en-US', 'en']]) {
      const { page, context, watch } = await h.newPage({ locale });
      // Chromium logs the document's own 404 as "Failed to load resource"; that one is expected.
      watch.allowNetworkErrors('/no-such-page');
      const response = await visit(page, '/no-such-page');
      assert.equal(response?.status(), 404);
      assert.match(response?.headers()['content-type'] ?? '', /text\/html/);
      await expectText(page.locator('h1'), TEXT[lang].notFound);
      await context.close();
    }
  }));

  // The last check: nothing in the long-lived Korean page went wrong in between.
  it('the JavaScript-enabled pages logged no errors', h_step(async () => {
    ko.watch.assertClean();
  }));

  /** `h` only exists once `before` has run, so the wrapper is resolved lazily. */
  function h_step(fn) {
    return (t) => h.step(fn)(t);
  }
});
