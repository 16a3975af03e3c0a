// People: an admin adds, finds and manages people; a reset password must be changed at the next
// sign-in; a deactivated person cannot sign in.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, Harness, STEP_TIMEOUT_MS, addPerson, apiJson, expectText, login, logout, openRowMenu, setupAdmin, submitLogin, visit, waitForPath } from './helpers.js';

const MENTEE = { email: 'jiwoo@example.com', name: '박지우', password: 'mentee password 1' };

describe('people', { timeout: 10 * 60_000 }, () => {
  /** @type {Harness} */
  let h;

  before(async () => {
    h = await Harness.start('people');
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'en' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  const step = (fn) => (t) => h.step(fn)(t);

  it('add, find, reset (forced change) and deactivate', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const admin = await h.newPage({ locale: 'en-US' });
    await login(admin.page, ADMIN, { locale: 'en' });
    await visit(admin.page, '/admin/users', { expectStatus: 200 });

    await addPerson(admin.page, { ...MENTEE, role: 'mentee' });
    await admin.page.locator('.toast', { hasText: 'Account created.' }).waitFor();
    // The dialog closed itself once the person was added.
    assert.equal(await admin.page.locator('#add-person').isVisible(), false, 'the add dialog is still open');

    // Server-side search is a plain GET form: the URL carries it.
    await admin.page.locator('#filter-q').fill('지우');
    await Promise.all([admin.page.waitForURL('**/admin/users?q=*'), admin.page.locator('form.filters button[type=submit]').click()]);
    await admin.page.waitForLoadState('networkidle');
    assert.equal(await admin.page.locator('table.table tbody tr').count(), 1);

    await openRowMenu(admin.page, MENTEE.name);
    await admin.page.locator(`button[aria-label="Reset password — ${MENTEE.name}"]`).click();
    const temporary = (await admin.page.locator('[data-testid=temporary-password]').textContent()).trim();
    assert.ok(temporary.length >= 16, temporary);

    const mentee = await h.newPage({ locale: 'en-US' });
    await visit(mentee.page, '/login');
    await submitLogin(mentee.page, { email: MENTEE.email, password: temporary });
    // A full page load of the lazy /account page: type only once it has hydrated.
    await waitForPath(mentee.page, '/account');
    await mentee.page.locator('.alert.warn').waitFor();
    await mentee.page.locator('#field-current_password').fill(temporary);
    await mentee.page.locator('#field-new_password').fill('a brand new secret');
    await mentee.page.locator('form:has(#field-new_password) button[type=submit]').click();
    await mentee.page.locator('.toast', { hasText: 'Password changed' }).waitFor();
    await visit(mentee.page, '/');
    await mentee.page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    await mentee.context.close();

    // Five wrong passwords lock the sign-in: the people list says so, and "Unlock sign-in" clears it.
    for (let n = 0; n < 5; n++) {
      const r = await apiJson(h.baseURL, '/api/v1/auth/login', { method: 'POST', body: { email: MENTEE.email, password: 'a wrong guess' } });
      assert.equal(r.status, 401, r.text);
    }
    const row = admin.page.locator('table.table tbody tr', { hasText: MENTEE.name });
    await visit(admin.page, '/admin/users?q=지우');
    await expectText(row.locator('[data-testid=locked]'), 'Sign-in locked');
    await openRowMenu(admin.page, MENTEE.name);
    await admin.page.locator(`button[aria-label="Unlock sign-in — ${MENTEE.name}"]`).click();
    await row.locator('[data-testid=locked]').waitFor({ state: 'detached' });

    await openRowMenu(admin.page, MENTEE.name);
    await admin.page.locator(`button[aria-label="Deactivate — ${MENTEE.name}"]`).click();
    await openRowMenu(admin.page, MENTEE.name);
    await admin.page.locator(`button[aria-label="Activate — ${MENTEE.name}"]`).waitFor();
    const locked = await h.newPage({ locale: 'en-US' });
    const unwatch = locked.watch.allowNetworkErrors('/api/fn/login');
    await visit(locked.page, '/login');
    await submitLogin(locked.page, { email: MENTEE.email, password: 'a brand new secret' });
    await locked.page.locator('.alert.error', { hasText: 'deactivated' }).waitFor();
    unwatch();
    await locked.context.close();
    await logout(admin.page);
    await admin.context.close();
  }));

  it('a CSV import is checked row by row, then imported all or nothing', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const admin = await h.newPage({ locale: 'en-US' });
    await login(admin.page, ADMIN, { locale: 'en' });
    await visit(admin.page, '/admin/users', { expectStatus: 200 });
    await admin.page.locator('nav.tabs a[href="/admin/users/import"]').click();
    await admin.page.waitForURL('**/admin/users/import');
    await admin.page.waitForLoadState('networkidle');

    const csv = admin.page.locator('#field-csv');
    await csv.fill('email,name,role\nhan@example.com,Han,mentor\nnot-an-email,Oh,mentee\n');
    await admin.page.locator('button[name=commit][value=false]').click();
    await admin.page.locator('[data-testid=preview] tr.invalid', { hasText: 'not-an-email' }).waitFor();
    assert.equal(await admin.page.locator('[data-testid=preview] tbody tr').count(), 2);

    const allow = admin.watch.allowNetworkErrors('/api/fn/import_users');
    await admin.page.locator('button[name=commit][value=true]').click();
    await admin.page.locator('.alert.error', { hasText: 'line 3: email' }).waitFor();
    allow();
    assert.equal(await csv.inputValue(), 'email,name,role\nhan@example.com,Han,mentor\nnot-an-email,Oh,mentee\n', 'what was typed stays');

    await csv.fill('email,name,role\nhan@example.com,Han,mentor\noh@example.com,Oh,mentee\n');
    await admin.page.locator('button[name=commit][value=true]').click();
    await admin.page.locator('[data-testid=imported] tbody tr').nth(1).waitFor();
    await admin.page.locator('.alert.success', { hasText: '2 people imported.' }).waitFor();
    await admin.context.close();

    // Without JavaScript the result comes back after the redirect, once.
    const plain = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(plain.page, ADMIN, { locale: 'en' });
    await visit(plain.page, '/admin/users/import', { expectStatus: 200 });
    await plain.page.locator('#field-csv').fill('email,name,role\nhan@example.com,Han again,mentee\n');
    await Promise.all([plain.page.waitForURL('**/admin/users/import?done=1'), plain.page.locator('button[name=commit][value=false]').click()]);
    await plain.page.locator('[data-testid=preview] tr.invalid', { hasText: 'already in use' }).waitFor();
    assert.match(await plain.page.locator('#field-csv').inputValue(), /Han again/);

    // A file instead of pasted text: Excel's "CSV UTF-8" (with its byte-order mark) is imported…
    const file = plain.page.locator('#field-csv-file');
    await file.setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeffemail,name,role\nseo@example.com,서지민,mentee\n') });
    await Promise.all([plain.page.waitForURL('**/admin/users/import?done=1'), plain.page.locator('button[name=commit_file][value=true]').click()]);
    await plain.page.locator('.alert.success', { hasText: '1 person imported.' }).waitFor();
    await plain.page.locator('[data-testid=imported] tbody tr', { hasText: 'seo@example.com' }).waitFor();
    assert.match(await plain.page.locator('#field-csv').inputValue(), /서지민/);
    // …and the CP949 that Excel's plain "CSV" writes on Korean Windows is refused with what to do.
    await file.setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from([0xc0, 0xcc, 0xb8, 0xa7, 0x0a]) });
    await Promise.all([plain.page.waitForURL('**/admin/users/import?done=1'), plain.page.locator('button[name=commit_file][value=false]').click()]);
    await plain.page.locator('.alert.error', { hasText: 'CSV UTF-8' }).waitFor();
    await plain.context.close();
  }));
});
