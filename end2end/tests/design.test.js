// The design system holds on every page: the top bar is one compact row, nothing scrolls sideways
// on a phone, no emoji stands in for an icon, axe finds nothing serious in either theme, and the
// menus only offer what the reader may use. Screenshots of the main pages in both languages and
// themes are written to end2end/.artifacts/screenshots for a reviewer to look at.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  E2E_DIR,
  Harness,
  STEP_TIMEOUT_MS,
  apiJson,
  expectText,
  formatViolations,
  login,
  openAccountMenu,
  runAxe,
  seedCompany,
  visit,
} from './helpers.js';

const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const SCREENSHOTS = path.join(E2E_DIR, '.artifacts', 'screenshots');
/** Pictographs (🔔, ✅, 📄 …): they render as empty boxes where no emoji font is installed. */
const EMOJI = /\p{Extended_Pictographic}/u;

/** The top bar's height, and whether its items (brand, links, bell, avatar) share one row. */
async function headerBox(page) {
  return page.evaluate(() => {
    const bar = document.querySelector('header.topbar');
    const items = [...bar.querySelectorAll('.brand, .mainnav a, .sections-menu > summary, .bell, .account-menu > summary')]
      .filter((el) => el.getBoundingClientRect().width > 0);
    const tops = items.map((el) => { const r = el.getBoundingClientRect(); return Math.round(r.top + r.height / 2); });
    return { height: bar.getBoundingClientRect().height, rows: new Set(tops.map((t) => Math.round(t / 8))).size, count: items.length };
  });
}

/** Every place a pictograph could hide: the text, and attribute text people read or hear. */
async function emojiOnPage(page) {
  return page.evaluate((source) => {
    const re = new RegExp(source, 'u');
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (re.test(n.textContent)) found.push(n.textContent.trim().slice(0, 60));
    for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
      for (const a of ['aria-label', 'title', 'alt', 'placeholder']) {
        const v = el.getAttribute(a);
        if (v && re.test(v)) found.push(`${el.tagName.toLowerCase()}[${a}="${v}"]`);
      }
    }
    return found;
  }, EMOJI.source);
}

async function assertFitsWidth(page, width, what) {
  const { scrollWidth, offenders } = await page.evaluate((limit) => {
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 0.5) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (right ${Math.round(r.right)}px)`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders: out.slice(0, 10) };
  }, width);
  assert.ok(scrollWidth <= width, `${what} is ${scrollWidth}px wide at ${width}px:\n  ${offenders.join('\n  ')}`);
}

describe('design system on every page', { timeout: 40 * 60_000 }, () => {
  /** @type {Harness} */
  let h;
  /** @type {Awaited<ReturnType<typeof seedCompany>>} */
  let seeded;

  before(async () => {
    h = await Harness.start('design');
    seeded = await seedCompany(h);
  });
  after(async () => {
    await h?.close();
  });
  const step = (fn) => (t) => h.step(fn)(t);

  it('the top bar is one row at 1280 px and at most 64 px tall at 360 px, in both languages', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    for (const locale of ['ko-KR', 'en-US']) {
      const desktop = await h.newPage({ locale, ...DESKTOP });
      await login(desktop.page, seeded.admin, { locale: locale.slice(0, 2) });
      const wide = await headerBox(desktop.page);
      // The admin has every section: dashboard, tasks, mentorships, curricula, forms, people, departments.
      assert.ok(wide.count >= 9, `expected the brand, 7 sections, the bell and the avatar in the bar: ${JSON.stringify(wide)}`);
      assert.equal(wide.rows, 1, `the top bar wraps at 1280 px (${locale}): ${JSON.stringify(wide)}`);
      assert.ok(wide.height <= 64, `the top bar is ${wide.height}px tall at 1280 px (${locale})`);
      await desktop.context.close();

      const phone = await h.newPage({ locale, ...PHONE });
      await login(phone.page, seeded.admin, { locale: locale.slice(0, 2) });
      const narrow = await headerBox(phone.page);
      assert.ok(narrow.height <= 64, `the top bar is ${narrow.height}px tall at 360 px (${locale})`);
      assert.equal(narrow.rows, 1, `the top bar wraps at 360 px (${locale}): ${JSON.stringify(narrow)}`);
      // The sections fold into the menu button, which opens them (a <details>: no script needed).
      await phone.page.locator('[data-testid=sections-menu]').click();
      await phone.page.locator('.sections-menu nav a[href="/tasks"]').click();
      await phone.page.waitForURL((url) => url.pathname === '/tasks');
      await phone.context.close();
    }
  }));

  it('menus offer only what the reader may use: no admin pages or API docs for a mentee', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const cases = [
      [seeded.admin, true, true],
      [seeded.mentor, false, true],
      [seeded.mentee, false, false],
    ];
    for (const [who, admin, api] of cases) {
      const { page, context } = await h.newPage(DESKTOP);
      await login(page, who, { locale: 'ko' });
      assert.equal(await page.locator('nav.mainnav a[href="/admin/users"]').count(), admin ? 1 : 0, `${who.email}: people link`);
      await openAccountMenu(page);
      await page.locator('button[data-testid=logout]').waitFor({ state: 'visible' });
      assert.equal(await page.locator('[data-testid=api-docs]').count(), api ? 1 : 0, `${who.email}: API docs link`);
      await context.close();
    }
  }));

  it('every page fits 360 px without scrolling sideways, and no emoji is used as an icon', { timeout: 5 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'ko-KR', ...PHONE });
    await login(page, seeded.admin, { locale: 'ko' });
    for (const pathname of seeded.pages) {
      await visit(page, pathname, { expectStatus: 200 });
      await assertFitsWidth(page, 360, pathname);
      assert.deepEqual(await emojiOnPage(page), [], `${pathname} shows an emoji`);
    }
    await context.close();
    const anonymous = await h.newPage({ locale: 'en-US', ...PHONE });
    for (const pathname of ['/login', '/register']) {
      await visit(anonymous.page, pathname, { expectStatus: 200 });
      await assertFitsWidth(anonymous.page, 360, pathname);
      assert.deepEqual(await emojiOnPage(anonymous.page), [], `${pathname} shows an emoji`);
    }
  }));

  it('axe finds no serious or critical issue on any page, light and dark, menus open too', { timeout: 10 * 60_000 }, step(async () => {
    for (const theme of ['light', 'dark']) {
      const { page, context } = await h.newPage({ locale: 'ko-KR', ...DESKTOP });
      await context.addCookies([{ name: 'nuri_theme', value: theme, url: h.baseURL }]);
      await login(page, seeded.admin, { locale: 'ko' });
      const problems = [];
      for (const pathname of seeded.pages) {
        await visit(page, pathname, { expectStatus: 200 });
        const violations = await runAxe(page);
        if (violations.length) problems.push(`${pathname} (${theme}):\n${formatViolations(violations)}`);
      }
      // The account menu's contents only exist for axe while it is open.
      await visit(page, '/');
      await openAccountMenu(page);
      const open = await runAxe(page);
      if (open.length) problems.push(`account menu (${theme}):\n${formatViolations(open)}`);
      assert.equal(problems.length, 0, problems.join('\n'));
      await context.close();
    }
  }));

  it('the board: an admin chooses whose, each column shows its true count and pages on its own, with and without JavaScript', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const mid = seeded.ids.mentorship;
    // More "to do" cards than one page holds.
    for (let n = 1; n <= 22; n++) {
      const r = await apiJson(h.baseURL, '/api/v1/tasks', { method: 'POST', token: seeded.token, body: { mentorship_id: mid, title: `Extra ${n}`, due_date: '2030-01-01' } });
      assert.equal(r.status, 201, r.text);
    }
    const board = async (query) => {
      const r = await apiJson(h.baseURL, `/api/v1/tasks/board?mentorship_id=${mid}${query}`, { token: seeded.token });
      assert.equal(r.status, 200, r.text);
      return r.json;
    };
    const first = await board('');
    const todo = first.columns.find((c) => c.status === 'todo').tasks;
    assert.ok(todo.total > 20, `todo holds ${todo.total}`);
    const second = (await board('&todo_page=2')).columns.find((c) => c.status === 'todo').tasks;

    for (const javaScriptEnabled of [true, false]) {
      const { page, context } = await h.newPage({ javaScriptEnabled, ...DESKTOP });
      await login(page, seeded.admin);
      await visit(page, '/tasks');
      // Whose board: a search over the company's mentorships, then one of them.
      await page.locator('[data-testid=board-chooser]').waitFor();
      await page.locator('#board-q').fill(first.subject);
      await page.locator('[data-testid=board-chooser] button[type=submit]').click();
      await page.waitForURL((url) => url.searchParams.get('q') === first.subject);
      await page.locator(`.board-choices a[href="/tasks?mentorship_id=${mid}"]`).click();
      await page.waitForURL((url) => url.searchParams.get('mentorship_id') === String(mid));
      await expectText(page.locator('[data-testid=board-subject]'), first.subject);
      for (const column of first.columns) {
        const col = page.locator(`.board-col[data-status=${column.status}]`);
        await expectText(col.locator('[data-testid=column-count]'), String(column.tasks.total));
        assert.equal(await col.locator('.task-card').count(), column.tasks.items.length, column.status);
      }
      // The column is its own status: no card repeats it.
      assert.equal(await page.locator('.task-card .badge[class*="status-"]').count(), 0);
      // "To do" turns to its second page; the other columns stay where they were.
      const col = page.locator('.board-col[data-status=todo]');
      await col.locator('a[rel=next]').click();
      await page.waitForURL((url) => url.searchParams.get('todo_page') === '2');
      await expectText(col.locator('.task-card a').first(), second.items[0].title);
      assert.equal(await col.locator('.task-card').count(), second.items.length);
      await col.locator('a[rel=prev]').first().waitFor();
      await context.close();
    }
  }));

  it('writes screenshots of the main pages in both languages and themes', { timeout: 15 * 60_000 }, step(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const main = ['/', '/tasks', `/tasks?mentorship_id=${seeded.ids.mentorship}`, '/mentorships', `/mentorships/${seeded.ids.mentorship}`, `/tasks/${seeded.ids.task}`, '/admin/users', '/forms', '/styleguide'];
    for (const locale of ['ko-KR', 'en-US']) {
      for (const theme of ['light', 'dark']) {
        // Every combination on a desktop; phones in Korean (the narrower script is English).
        const devices = locale === 'ko-KR' ? [['desktop', DESKTOP], ['phone', PHONE]] : [['desktop', DESKTOP]];
        for (const [device, options] of devices) {
          const { page, context } = await h.newPage({ locale, ...options });
          await context.addCookies([{ name: 'nuri_theme', value: theme, url: h.baseURL }]);
          await visit(page, '/login');
          await page.screenshot({ path: path.join(SCREENSHOTS, `${locale.slice(0, 2)}-${theme}-${device}-login.png`), fullPage: true });
          await login(page, seeded.admin, { locale: locale.slice(0, 2) });
          for (const pathname of main) {
            await visit(page, pathname);
            const name = pathname.replace(/^\//, '').replace(/[^a-z0-9]+/gi, '-') || 'dashboard';
            await page.screenshot({ path: path.join(SCREENSHOTS, `${locale.slice(0, 2)}-${theme}-${device}-${name}.png`), fullPage: true });
          }
          await context.close();
        }
      }
    }
    console.log(`screenshots in ${SCREENSHOTS}`);
  }));
});
