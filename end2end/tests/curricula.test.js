// Curricula: an admin shapes a curriculum (tasks over weeks, reordering, editing) with and without
// JavaScript; descriptions are Markdown rendered safely; a mentee reads it without edit controls;
// the pages pass axe.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, Harness, STEP_TIMEOUT_MS, addPerson, formatViolations, login, logout, runAxe, setupAdmin, switchTheme, visit } from './helpers.js';

const MENTEE = { email: 'mentee@example.com', name: 'Kim Mentee', password: 'mentee password 1' };
const TITLE = 'Backend onboarding';

describe('curricula', { timeout: 10 * 60_000 }, () => {
  /** @type {Harness} */
  let h;
  /** The curriculum's page, once created. */
  let curriculumPath = null;

  before(async () => {
    h = await Harness.start('curricula');
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'en' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  const step = (fn) => (t) => h.step(fn)(t);
  const week = (page, label) => page.locator('section.week', { has: page.locator('h3', { hasText: new RegExp(`^${label}$`) }) });
  const titlesIn = (page, label) => week(page, label).locator('.task h4').allTextContents();

  /** Fills the add-task form and submits it; waits for the toast. */
  async function addTask(page, { title, description = '', weekNo, days }) {
    await page.locator('#task-new-title').fill(title);
    await page.locator('#task-new-description').fill(description);
    await page.locator('#task-new-week').fill(String(weekNo));
    await page.locator('#task-new-expected_days').fill(String(days));
    await page.locator('form:has(#task-new-title) button[type=submit]').click();
    await page.locator('.toast', { hasText: 'Task added.' }).last().waitFor();
    await page.locator('.task h4', { hasText: title }).waitFor();
  }

  it('an admin creates a curriculum, adds, moves and edits tasks (JavaScript on)', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page, context, watch } = await h.newPage({ locale: 'en-US' });
    await login(page, ADMIN, { locale: 'en' });
    await page.locator('nav.mainnav a[href="/curricula"]').click();
    await page.waitForURL('**/curricula');
    await page.locator('h1', { hasText: 'Curricula' }).waitFor();
    await page.waitForLoadState('networkidle');

    // An empty title is refused next to the field (a deliberate 400); what was typed stays.
    const stopAllowing = watch.allowNetworkErrors('/api/fn/create_curriculum');
    await page.locator('#new-description').fill('Typed before the error');
    await page.locator('#new-is_template').check();
    await page.locator('form:has(#new-title) button[type=submit]').click();
    await page.locator('#new-title-error', { hasText: 'This field is required.' }).waitFor();
    assert.equal(await page.locator('#new-title').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#new-description').inputValue(), 'Typed before the error');
    assert.ok(await page.locator('#new-is_template').isChecked());
    stopAllowing();

    await page.locator('#new-title').fill(TITLE);
    await page.locator('#new-description').fill('Welcome! Read **this first**.\n\n<script>window.__pwned = 1</script>');
    await page.locator('form:has(#new-title) button[type=submit]').click();
    await page.locator('.toast', { hasText: 'Curriculum created.' }).waitFor();
    const row = page.locator('table.table tbody tr', { hasText: TITLE });
    await row.waitFor();
    await row.locator('.badge', { hasText: 'Template' }).waitFor();
    assert.equal(await page.locator('#new-title').inputValue(), '', 'the form is reset after success');

    // The templates filter is a plain GET form.
    await page.locator('#filter-templates').check();
    await Promise.all([page.waitForURL('**/curricula?templates=1'), page.locator('form.filters button[type=submit]').click()]);
    await page.waitForLoadState('networkidle');
    await page.locator('table.table tbody tr', { hasText: TITLE }).waitFor();

    await page.locator('table.table a', { hasText: TITLE }).click();
    await page.waitForURL('**/curricula/*');
    curriculumPath = new URL(page.url()).pathname;
    await page.locator('h1', { hasText: TITLE }).waitFor();
    await page.waitForLoadState('networkidle');

    // Markdown is rendered; raw HTML is shown as text and never runs.
    const description = page.locator('[data-testid=curriculum-description]');
    assert.equal((await description.locator('strong').textContent()).trim(), 'this first');
    assert.match(await description.textContent(), /<script>window\.__pwned = 1<\/script>/);
    assert.equal(await description.locator('script').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);

    await addTask(page, { title: 'Read the handbook', description: 'Start with **chapter 1**.', weekNo: 1, days: 2 });
    await addTask(page, { title: 'Meet the team', weekNo: 1, days: 1 });
    await addTask(page, { title: 'First pull request', description: '<img src=x onerror="window.__pwned = 2">', weekNo: 2, days: 5 });
    assert.deepEqual(await titlesIn(page, 'Week 1'), ['Read the handbook', 'Meet the team']);
    assert.deepEqual(await titlesIn(page, 'Week 2'), ['First pull request']);
    const handbook = page.locator('.task', { has: page.locator('h4', { hasText: 'Read the handbook' }) });
    assert.equal((await handbook.locator('.markdown strong').textContent()).trim(), 'chapter 1');
    await handbook.locator('.muted', { hasText: '2 days expected' }).waitFor();
    const pr = page.locator('.task', { has: page.locator('h4', { hasText: 'First pull request' }) });
    assert.equal(await pr.locator('.markdown img').count(), 0);
    assert.match(await pr.locator('.markdown').textContent(), /<img src=x onerror=/);

    // An empty task title is refused next to its field; the other values stay.
    const stopAllowingTask = watch.allowNetworkErrors('/api/fn/add_task');
    await page.locator('#task-new-title').fill('');
    await page.locator('#task-new-description').fill('kept description');
    await page.locator('#task-new-week').fill('3');
    await page.locator('form:has(#task-new-title) button[type=submit]').click();
    await page.locator('#task-new-title-error', { hasText: 'This field is required.' }).waitFor();
    assert.equal(await page.locator('#task-new-description').inputValue(), 'kept description');
    assert.equal(await page.locator('#task-new-week').inputValue(), '3');
    // The other forms on the page show no error.
    assert.equal(await page.locator('#edit-title-error').count(), 0);
    stopAllowingTask();

    // Move "Meet the team" up within week 1; the first task of a week has "Move up" disabled, in
    // the same place as on every other row.
    assert.ok(await page.locator('button[aria-label="Move up — Read the handbook"]').isDisabled());
    await page.locator('button[aria-label="Move up — Meet the team"]').click();
    await page.locator('.toast', { hasText: 'Order saved.' }).waitFor();
    await page.locator('button[aria-label="Move down — Meet the team"]').waitFor();
    assert.deepEqual(await titlesIn(page, 'Week 1'), ['Meet the team', 'Read the handbook']);

    // Edit a task: a new title and another week puts it at the end of that week.
    await handbook.locator('summary').click();
    await handbook.locator('input[name=title]').fill('Read the handbook twice');
    await handbook.locator('input[name=week]').fill('2');
    await handbook.locator('button[type=submit]', { hasText: 'Save' }).click();
    await page.locator('.toast', { hasText: 'Task saved.' }).waitFor();
    await page.locator('.task h4', { hasText: 'Read the handbook twice' }).waitFor();
    assert.deepEqual(await titlesIn(page, 'Week 1'), ['Meet the team']);
    assert.deepEqual(await titlesIn(page, 'Week 2'), ['First pull request', 'Read the handbook twice']);

    // Edit the curriculum itself.
    await page.locator('#edit-title').fill(`${TITLE} 2026`);
    await page.locator('form:has(#edit-title) button[type=submit]').click();
    await page.locator('.toast', { hasText: 'Curriculum saved.' }).waitFor();
    await page.locator('h1', { hasText: `${TITLE} 2026` }).waitFor();

    // It is all really stored: a fresh load shows the same.
    await visit(page, curriculumPath, { expectStatus: 200 });
    assert.deepEqual(await titlesIn(page, 'Week 1'), ['Meet the team']);
    assert.deepEqual(await titlesIn(page, 'Week 2'), ['First pull request', 'Read the handbook twice']);
    await context.close();
  }));

  it('the same forms work without JavaScript', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    assert.ok(curriculumPath, 'the first journey created the curriculum');
    const { page, context } = await h.newPage({ locale: 'ko-KR', javaScriptEnabled: false });
    await login(page, ADMIN, { locale: 'ko' });
    await visit(page, curriculumPath, { expectStatus: 200 });
    await page.locator('h3', { hasText: '1주차' }).waitFor();

    // A failed post comes back with the error next to the right form's field and the typed values.
    await page.locator('#task-new-title').fill('');
    await page.locator('#task-new-description').fill('남겨 둘 설명');
    await page.locator('#task-new-week').fill('60');
    await Promise.all([page.waitForURL('**/curricula/*?e=**'), page.locator('form:has(#task-new-title) button[type=submit]').click()]);
    await page.locator('#task-new-title-error', { hasText: '필수 항목입니다.' }).waitFor();
    await page.locator('#task-new-week-error', { hasText: '허용 범위를 벗어난 숫자입니다.' }).waitFor();
    assert.equal(await page.locator('#task-new-description').inputValue(), '남겨 둘 설명');
    assert.equal(await page.locator('#task-new-week').inputValue(), '60');
    assert.equal(await page.locator('#edit-title-error').count(), 0);

    await page.locator('#task-new-title').fill('코드 리뷰 받기');
    await page.locator('#task-new-week').fill('1');
    await Promise.all([page.waitForURL('**/curricula/*?done=task_added'), page.locator('form:has(#task-new-title) button[type=submit]').click()]);
    await page.locator('.alert.success', { hasText: '과제를 추가했습니다.' }).waitFor();
    assert.deepEqual(await titlesIn(page, '1주차'), ['Meet the team', '코드 리뷰 받기']);

    await Promise.all([page.waitForURL('**/curricula/*?done=reordered'), page.locator('button[aria-label="위로 — 코드 리뷰 받기"]').click()]);
    assert.deepEqual(await titlesIn(page, '1주차'), ['코드 리뷰 받기', 'Meet the team']);

    // Deleting asks first; "cancel" keeps the task.
    await page.locator('button[aria-label="삭제 — 코드 리뷰 받기"]').click();
    await page.locator('.dialog:popover-open button', { hasText: '취소' }).click();
    assert.equal(await page.locator('.dialog:popover-open').count(), 0);
    assert.deepEqual(await titlesIn(page, '1주차'), ['코드 리뷰 받기', 'Meet the team']);
    await page.locator('button[aria-label="삭제 — 코드 리뷰 받기"]').click();
    await Promise.all([page.waitForURL('**/curricula/*?done=task_deleted'), page.locator('.dialog:popover-open button[type=submit]', { hasText: '과제 삭제' }).click()]);
    assert.deepEqual(await titlesIn(page, '1주차'), ['Meet the team']);

    // Copy, then delete the copy behind its disclosure.
    await Promise.all([page.waitForURL('**/curricula/*?done=copied'), page.locator('button', { hasText: '사본 만들기' }).click()]);
    await page.locator('h1', { hasText: `${TITLE} 2026 (copy)` }).waitFor();
    assert.notEqual(new URL(page.url()).pathname, curriculumPath);
    await page.locator('details.danger-zone summary').click();
    await Promise.all([page.waitForURL('**/curricula?done=deleted'), page.locator('button', { hasText: '영구 삭제' }).click()]);
    await page.locator('.alert.success', { hasText: '커리큘럼을 삭제했습니다.' }).waitFor();
    assert.equal(await page.locator('table.table tbody tr').count(), 1);
    await context.close();
  }));

  it('a mentee reads the curriculum but sees no edit controls', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const admin = await h.newPage({ locale: 'en-US' });
    await login(admin.page, ADMIN, { locale: 'en' });
    await visit(admin.page, '/admin/users', { expectStatus: 200 });
    await addPerson(admin.page, { ...MENTEE, role: 'mentee' });
    await admin.page.locator('.toast', { hasText: 'Account created.' }).waitFor();
    await logout(admin.page);
    await admin.context.close();

    const { page, context } = await h.newPage({ locale: 'en-US' });
    await login(page, MENTEE, { locale: 'en' });
    await page.locator('nav.mainnav a[href="/curricula"]').click();
    await page.waitForURL('**/curricula');
    await page.waitForLoadState('networkidle');
    await page.locator('table.table a', { hasText: `${TITLE} 2026` }).waitFor();
    assert.equal(await page.locator('#new-title').count(), 0, 'no create form');
    assert.equal(await page.locator('table.table button').count(), 0, 'no copy buttons');

    await page.locator('table.table a', { hasText: `${TITLE} 2026` }).click();
    await page.waitForURL('**/curricula/*');
    await page.locator('h1', { hasText: `${TITLE} 2026` }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await titlesIn(page, 'Week 2'), ['First pull request', 'Read the handbook twice']);
    assert.equal((await page.locator('[data-testid=curriculum-description] strong').textContent()).trim(), 'this first');
    assert.equal(await page.locator('main form').count(), 0, 'no forms at all');
    assert.equal(await page.locator('main details').count(), 0, 'no edit disclosures');
    assert.equal(await page.locator('main button').count(), 0, 'no buttons');
    await context.close();
  }));

  it('the curriculum pages pass axe in light and dark themes', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'ko-KR' });
    await login(page, ADMIN, { locale: 'ko' });
    for (const path of ['/curricula', curriculumPath]) {
      await visit(page, path, { expectStatus: 200 });
      for (const theme of ['light', 'dark']) {
        await switchTheme(page, theme);
        const violations = await runAxe(page);
        assert.equal(violations.length, 0, `${path} (${theme}):\n${formatViolations(violations)}`);
      }
    }
    await context.close();
  }));

  it('the curriculum page fits a 360 px wide screen', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'ko-KR', viewport: { width: 360, height: 740 } });
    await login(page, ADMIN, { locale: 'ko' });
    await visit(page, curriculumPath, { expectStatus: 200 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    await context.close();
  }));
});
