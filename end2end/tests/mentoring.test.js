// The mentoring journey: an admin sets up a department, a mentor, a mentee and a two-task
// curriculum and starts a mentorship; the mentee works a task and comments; the mentor asks for
// changes, then approves; the three dashboards agree with what happened.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  addPerson,
  ADMIN,
  Harness,
  STEP_TIMEOUT_MS,
  expectText,
  formatViolations,
  login,
  runAxe,
  settle,
  setupAdmin,
  visit,
  waitForPath,
} from './helpers.js';

const MENTOR = { name: 'Min Mentor', email: 'mentor@example.test', password: 'mentor-password-1' };
const MENTEE = { name: 'Jiwoo Mentee', email: 'mentee@example.test', password: 'mentee-password-1' };

describe('mentoring', { timeout: 15 * 60_000 }, () => {
  /** @type {Harness} */
  let h;

  before(async () => {
    h = await Harness.start('mentoring');
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'en' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  const step = (fn) => (t) => h.step(fn)(t);

  /** Signs `who` in on a fresh English page. */
  const signIn = async (who) => {
    const entry = await h.newPage({ locale: 'en-US' });
    await login(entry.page, who, { locale: 'en' });
    return entry;
  };

  /** Clicks the move button with `label` on a task page and waits for the new status. */
  const move = async (page, label, status) => {
    await page.locator('button', { hasText: label }).click();
    await expectText(page.locator('[data-testid=task-status]'), status);
  };

  it('from pairing to approval, with every dashboard telling the truth', { timeout: 2 * STEP_TIMEOUT_MS }, step(async () => {
    const admin = await signIn(ADMIN);
    const a = admin.page;

    // A department, and two people in it.
    await visit(a, '/admin/departments', { expectStatus: 200 });
    await a.locator('#field-name').fill('Engineering');
    await a.locator('form:has(#field-name) button[type=submit]').click();
    await a.locator('table.table input[value="Engineering"]').waitFor();
    await visit(a, '/admin/users', { expectStatus: 200 });
    for (const [who, role] of [[MENTOR, 'mentor'], [MENTEE, 'mentee']]) {
      await addPerson(a, { ...who, role, department: role === 'mentee' ? 'Engineering' : undefined });
    }
    // A two-task curriculum, written on its page.
    await a.locator('nav.mainnav a[href="/curricula"]').click();
    await waitForPath(a, '/curricula');
    await a.locator('#new-title').fill('Onboarding');
    await a.locator('form:has(#new-title) button[type=submit]').click();
    await a.locator('table.table a', { hasText: 'Onboarding' }).click();
    await a.waitForURL(/\/curricula\/\d+$/);
    await settle(a);
    for (const [title, week] of [['Set up the laptop', 1], ['First pull request', 2]]) {
      await a.locator('#task-new-title').fill(title);
      await a.locator('#task-new-description').fill(`Do **${title}**.`);
      await a.locator('#task-new-week').fill(String(week));
      await a.locator('#task-new-expected_days').fill('2');
      await a.locator('form:has(#task-new-title) button[type=submit]').click();
      await a.locator('.task h4', { hasText: title }).waitFor();
    }

    // The mentorship, from the page. Mentees are not offered as mentors at all; a missing start
    // date is refused next to its field and the choices stay.
    await a.locator('nav.mainnav a[href="/mentorships"]').click();
    await waitForPath(a, '/mentorships');
    const form = a.locator('form:has(#field-start_date)');
    const mentorOptions = await form.locator('#field-mentor_id option').allTextContents();
    assert.ok(mentorOptions.includes(MENTOR.name) && !mentorOptions.includes(MENTEE.name), mentorOptions.join(', '));
    const stopAllowing = admin.watch.allowNetworkErrors('/api/fn/create_mentorship');
    await form.locator('#field-mentor_id').selectOption({ label: MENTOR.name });
    await form.locator('#field-mentee_id').selectOption({ label: MENTEE.name });
    await form.locator('#field-curriculum_id').selectOption({ label: 'Onboarding' });
    await form.locator('button[type=submit]').click();
    await a.locator('#field-start_date-error').waitFor();
    stopAllowing();
    assert.equal(await form.locator('#field-mentee_id option:checked').textContent(), MENTEE.name);
    await form.locator('#field-start_date').fill('2026-12-01');
    await form.locator('button[type=submit]').click();
    await a.waitForURL(/\/mentorships\/\d+$/);
    await a.locator('table.task-table', { hasText: 'Set up the laptop' }).waitFor();
    await a.locator('table.task-table', { hasText: 'First pull request' }).waitFor();
    assert.equal(await a.locator('table.task-table tbody tr').count(), 2);

    // The mentee is told, works the first task and writes a memo.
    const mentee_ = await signIn(MENTEE);
    const m = mentee_.page;
    await expectText(m.locator('[data-testid=unread]'), '1');
    await expectText(m.locator('[data-testid=tasks-total]'), '2');
    // The navigation offers what the account may use: the admin pages only to admins.
    assert.equal(await m.locator('nav.mainnav a[href="/admin/users"]').count(), 0);
    assert.equal(await a.locator('nav.mainnav a[href="/admin/users"]').count(), 1);
    await m.locator('nav.mainnav a[href="/tasks"]').click();
    await waitForPath(m, '/tasks');
    await m.locator('.board-col[data-status=todo] a', { hasText: 'Set up the laptop' }).click();
    await m.waitForURL(/\/tasks\/\d+$/);
    await settle(m);
    const taskPath = new URL(m.url()).pathname;
    await m.locator('.markdown strong', { hasText: 'Set up the laptop' }).waitFor();
    await move(m, 'Start working', 'In progress');
    await move(m, 'Send to review', 'In review');
    await m.locator('#field-body').fill('Done — see **the wiki**.');
    await m.locator('button', { hasText: 'Post memo' }).click();
    await m.locator('.memo strong', { hasText: 'the wiki' }).waitFor();
    const axe = await runAxe(m);
    assert.equal(axe.length, 0, formatViolations(axe));

    // The mentor reviews: a comment is required to ask for changes.
    const mentor_ = await signIn(MENTOR);
    const r = mentor_.page;
    await expectText(r.locator('[data-testid=awaiting-review]'), '1');
    await r.locator('table.task-table a', { hasText: 'Set up the laptop' }).click();
    await waitForPath(r, taskPath);
    await r.locator('.memo', { hasText: 'the wiki' }).waitFor();
    const stop = mentor_.watch.allowNetworkErrors('/api/fn/move_task');
    await r.locator('button', { hasText: 'Request changes' }).click();
    await r.locator('.field-error', { hasText: 'required' }).waitFor();
    stop();
    await r.locator('#field-comment').fill('Add a screenshot of the setup.');
    await move(r, 'Request changes', 'Changes requested');
    await r.locator('.timeline blockquote', { hasText: 'Add a screenshot' }).waitFor();

    // The mentee sees why, fixes it and sends it back; the mentor approves.
    await visit(m, taskPath);
    await m.locator('.timeline blockquote', { hasText: 'Add a screenshot' }).waitFor();
    await move(m, 'Start working', 'In progress');
    await move(m, 'Send to review', 'In review');
    await visit(r, taskPath);
    await move(r, 'Approve', 'Done');
    assert.equal(await r.locator('button', { hasText: 'Request changes' }).count(), 0, 'done is final');

    // Dashboards.
    await visit(m, '/');
    await expectText(m.locator('[data-testid=tasks-done]'), '1');
    await expectText(m.locator('[data-testid=tasks-total]'), '2');
    await m.locator('[data-testid=mentee-dashboard] .progress-text', { hasText: '50%' }).waitFor();
    await visit(r, '/');
    await expectText(r.locator('[data-testid=awaiting-review]'), '0');
    await r.locator('[data-testid=mentor-dashboard] tr', { hasText: MENTEE.name }).locator('.progress-text', { hasText: '50%' }).waitFor();
    await visit(a, '/');
    await expectText(a.locator('[data-testid=count-mentorships]'), '1');
    await expectText(a.locator('[data-testid=count-mentors]'), '1');
    await expectText(a.locator('[data-testid=count-mentees]'), '1');
    await expectText(a.locator('[data-testid=completion]'), '50%');
    await a.locator('.bars li', { hasText: 'Engineering' }).locator('.bar-value', { hasText: '50% (1/2)' }).waitFor();
    const adminAxe = await runAxe(a);
    assert.equal(adminAxe.length, 0, formatViolations(adminAxe));

    // The notifications page: the mentee's approval is there and opening it marks it read.
    await visit(m, '/notifications');
    await m.locator('.notices li.unread', { hasText: 'Your task was approved' }).locator('button').click();
    await waitForPath(m, taskPath);
    for (const entry of [admin, mentee_, mentor_]) await entry.context.close();
  }));

  it('a mentor sends a form, the mentee answers, the mentor reads and exports it', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const mentor_ = await signIn(MENTOR);
    const r = mentor_.page;
    await r.locator('nav.mainnav a[href="/forms"]').click();
    await waitForPath(r, '/forms');
    await r.locator('a', { hasText: 'New form' }).click();
    await waitForPath(r, '/forms/new');
    await r.locator('[name="draft[title]"]').fill('Week one check-in');
    await r.locator('[name="draft[questions][0][kind]"]').selectOption('rating');
    await r.locator('[name="draft[questions][0][label]"]').fill('How was your first week?');
    await r.locator('button', { hasText: 'Add question' }).click();
    await r.locator('[name="draft[questions][1][kind]"]').selectOption('short_text');
    await r.locator('[name="draft[questions][1][label]"]').fill('One thing to improve');
    await r.locator('label.check', { hasText: MENTEE.email }).locator('input').check();
    await r.locator('button', { hasText: 'Send form' }).click();
    await r.waitForURL(/\/forms\/\d+/);
    await settle(r);
    const formPath = new URL(r.url()).pathname;

    // The mentee is told, answers once and may change the answer while the form is open.
    const mentee_ = await signIn(MENTEE);
    const m = mentee_.page;
    await visit(m, '/notifications');
    await m.locator('.notices li.unread', { hasText: 'A form to answer' }).locator('button').click();
    await waitForPath(m, formPath);
    await m.locator('input[name=q0][value="4"]').check();
    await m.locator('[name=q1]').fill('More pairing, 더 많은 페어링');
    await m.locator('button', { hasText: 'Send answers' }).click();
    await m.locator('button', { hasText: 'Update answers' }).waitFor();
    await visit(m, formPath);
    assert.ok(await m.locator('input[name=q0][value="4"]').isChecked(), 'the answer is kept');

    // The mentor sees who answered and gets the CSV (UTF-8 with a BOM, Korean intact).
    await visit(r, formPath);
    await r.locator('[data-testid=answered-count]', { hasText: '1' }).waitFor();
    const href = await r.locator('a', { hasText: 'Download CSV' }).getAttribute('href');
    const csv = await r.request.get(href);
    assert.equal(csv.status(), 200);
    assert.match(csv.headers()['content-type'], /^text\/csv/);
    const text = (await csv.body()).toString('utf8');
    assert.ok(text.startsWith('\uFEFF'), 'a BOM for spreadsheet programs');
    assert.match(text, /How was your first week\?/);
    assert.match(text, /Jiwoo Mentee,mentee@example\.test,[^,]+,4,"?More pairing, 더 많은 페어링"?/);
    for (const entry of [mentor_, mentee_]) await entry.context.close();
  }));

  it('the form builder without JavaScript: questions are added, moved and removed, and a refused send keeps the draft', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page: r, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(r, MENTOR, { locale: 'en' });
    await visit(r, '/forms/new');
    const label = (n) => r.locator(`[name="draft[questions][${n}][label]"]`);
    await r.locator('[name="draft[title]"]').fill('Plain survey');
    await label(0).fill('First');
    await r.locator('button', { hasText: 'Add question' }).click();
    await label(1).waitFor();
    assert.equal(await label(0).inputValue(), 'First');
    assert.equal(await r.locator('[name="draft[title]"]').inputValue(), 'Plain survey');
    await label(1).fill('Second');
    await r.locator('.question-editor').nth(1).locator('button', { hasText: 'Move up' }).click();
    await label(1).waitFor();
    assert.deepEqual([await label(0).inputValue(), await label(1).inputValue()], ['Second', 'First']);
    await r.locator('.question-editor').nth(1).locator('button', { hasText: 'Remove' }).click();
    await r.locator('.question-editor').first().waitFor();
    assert.equal(await r.locator('.question-editor').count(), 1);
    assert.equal(await label(0).inputValue(), 'Second');
    // Sent to nobody: refused with the reason, the whole draft still there, nothing in the URL.
    await r.locator('button', { hasText: 'Send form' }).click();
    await expectText(r.locator('#error-recipient_ids'), 'This field is required.');
    assert.equal(await label(0).inputValue(), 'Second');
    assert.equal(await r.locator('[name="draft[title]"]').inputValue(), 'Plain survey');
    assert.equal(new URL(r.url()).search, '');
    // A whole department is a recipient too (alone, it is enough to send).
    await r.locator('label.check', { hasText: 'Engineering' }).locator('input').check();
    await r.locator('button', { hasText: 'Send form' }).click();
    await r.waitForURL(/\/forms\/\d+/);
    await expectText(r.locator('h1'), 'Plain survey');
    await context.close();
  }));

  it('the recipients picker searches, selects what it shows and removes a chip', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page: r, context } = await signIn(MENTOR);
    await visit(r, '/forms/new');
    await r.locator('#recipient-search').fill(MENTEE.name.split(' ')[0]);
    const shown = r.locator('.picker-list li:not([hidden])');
    await expectText(shown.first().locator('label'), `${MENTEE.name} ${MENTEE.email}`);
    assert.equal(await shown.count(), 1);
    await r.locator('button', { hasText: 'Select all shown' }).click();
    await expectText(r.locator('[data-testid=picked-count]'), '1 person chosen');
    await expectText(r.locator('.picked .pick'), MENTEE.name);
    assert.ok(await shown.first().locator('input').isChecked());
    await r.locator('.picked .pick button').click();
    await expectText(r.locator('[data-testid=picked-count]'), '0 people chosen');
    assert.equal(await shown.first().locator('input').isChecked(), false);
    await r.locator('#recipient-search').fill('');
    assert.ok(await r.locator('.picker-list li:not([hidden])').count() > 1);
    await context.close();
  }));

  it('a mentee works a task without JavaScript', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(page, MENTEE, { locale: 'en' });
    await visit(page, '/tasks');
    await page.locator('.board-col[data-status=todo] a', { hasText: 'First pull request' }).click();
    await page.waitForURL(/\/tasks\/\d+$/);
    await page.locator('button', { hasText: 'Start working' }).click();
    await page.waitForURL(/done=moved/);
    await expectText(page.locator('[data-testid=task-status]'), 'In progress');
    await page.locator('button', { hasText: 'Post memo' }).click();
    await page.locator('.field-error').waitFor();
    await page.locator('#field-body').fill('Working on it');
    await page.locator('button', { hasText: 'Post memo' }).click();
    await page.locator('.memo', { hasText: 'Working on it' }).waitFor();
    await context.close();
  }));
});
