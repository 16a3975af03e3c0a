// Organisation: an admin manages the company's departments in the browser, with and without
// JavaScript, and the page passes axe in both themes.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ADMIN,
  Harness,
  STEP_TIMEOUT_MS,
  formatViolations,
  login,
  runAxe,
  setupAdmin,
  switchTheme,
  visit,
} from './helpers.js';

describe('departments', { timeout: 10 * 60_000 }, () => {
  /** @type {Harness} */
  let h;

  before(async () => {
    h = await Harness.start('org');
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'en' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  const step = (fn) => h.step(fn);
  const rows = (page) => page.locator('table.table tbody tr input[name=name]');

  it('an admin adds, renames and deletes departments (JavaScript on)', { timeout: STEP_TIMEOUT_MS }, async (t) => step(async () => {
    const { page, context, watch } = await h.newPage({ locale: 'en-US' });
    await login(page, ADMIN, { locale: 'en' });
    await page.locator('nav.mainnav a[href="/admin/departments"]').click();
    await page.waitForURL('**/admin/departments');
    await page.locator('h1', { hasText: 'Departments' }).waitFor();
    await page.waitForLoadState('networkidle');

    const add = async (name) => {
      await page.locator('#field-name').fill(name);
      await page.locator('form:has(#field-name) button[type=submit]').click();
      await page.locator(`table.table input[name=name][value="${name}"]`).waitFor();
    };
    await add('Engineering');
    await page.locator('.toast', { hasText: 'Department added.' }).waitFor();
    await add('Sales');
    assert.deepEqual(await rows(page).evaluateAll((els) => els.map((e) => e.value)), ['Engineering', 'Sales']);

    // A duplicate name is refused next to the field (a deliberate 409), and what was typed stays.
    const stopAllowing = watch.allowNetworkErrors('/api/fn/create_department');
    await page.locator('#field-name').fill('Sales');
    await page.locator('form:has(#field-name) button[type=submit]').click();
    await page.locator('.field-error', { hasText: 'already in use' }).waitFor();
    assert.equal(await page.locator('#field-name').inputValue(), 'Sales');
    stopAllowing();

    const engineering = page.locator('tr', { has: page.locator('input[value="Engineering"]') });
    await engineering.locator('input[name=name]').fill('Platform');
    await engineering.locator('button', { hasText: 'Save' }).click();
    await page.locator('table.table input[name=name][value="Platform"]').waitFor();

    await page.locator('button[aria-label="Delete Sales"]').click();
    await page.locator('.toast', { hasText: 'Department deleted.' }).waitFor();
    await page.locator('table.table input[value="Sales"]').waitFor({ state: 'detached' });
    assert.deepEqual(await rows(page).evaluateAll((els) => els.map((e) => e.value)), ['Platform']);

    // It is all really stored: a fresh load shows the same.
    await visit(page, '/admin/departments', { expectStatus: 200 });
    assert.deepEqual(await rows(page).evaluateAll((els) => els.map((e) => e.value)), ['Platform']);
    await context.close();
  })(t));

  it('the same works without JavaScript', { timeout: STEP_TIMEOUT_MS }, async (t) => step(async () => {
    const { page, context } = await h.newPage({ locale: 'ko-KR', javaScriptEnabled: false });
    await login(page, ADMIN, { locale: 'ko' });
    await visit(page, '/admin/departments', { expectStatus: 200 });
    await page.locator('#field-name').fill('디자인');
    await Promise.all([page.waitForURL('**/admin/departments?done=created'), page.locator('form:has(#field-name) button[type=submit]').click()]);
    await page.locator('.alert.success', { hasText: '부서를 추가했습니다.' }).waitFor();
    await page.locator('table.table input[value="디자인"]').waitFor();

    await page.locator('#field-name').fill('');
    await Promise.all([page.waitForURL('**/admin/departments?e=**'), page.locator('form:has(#field-name) button[type=submit]').click()]);
    await page.locator('.field-error', { hasText: '필수 항목입니다.' }).waitFor();
    await context.close();
  })(t));

  it('the departments page passes axe in light and dark themes', { timeout: STEP_TIMEOUT_MS }, async (t) => step(async () => {
    const { page, context } = await h.newPage({ locale: 'ko-KR' });
    await login(page, ADMIN, { locale: 'ko' });
    await visit(page, '/admin/departments', { expectStatus: 200 });
    for (const theme of ['light', 'dark']) {
      await switchTheme(page, theme);
      const violations = await runAxe(page);
      assert.equal(violations.length, 0, `departments page (${theme}):\n${formatViolations(violations)}`);
    }
    await context.close();
  })(t));
});
