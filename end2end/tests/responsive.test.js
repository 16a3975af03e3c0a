// Small screens: at 360×740 the login page and the dashboard must not scroll sideways, and the
// logout button must be one tap away (in the account menu) and fully on screen.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ADMIN,
  Harness,
  STEP_TIMEOUT_MS,
  TEXT,
  expectText,
  login,
  openAccountMenu,
  setupAdmin,
  visit,
  waitForPath,
} from './helpers.js';

const VIEWPORT = { width: 360, height: 740 };
const PHONE = { viewport: VIEWPORT, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** Fails when the page is wider than the viewport, naming the elements that stick out. */
async function assertNoHorizontalOverflow(page, what) {
  const { scrollWidth, offenders } = await page.evaluate((limit) => {
    const describe = (el) => {
      let s = el.tagName.toLowerCase();
      if (el.id) s += `#${el.id}`;
      if (el.classList.length) s += `.${[...el.classList].join('.')}`;
      const testid = el.getAttribute('data-testid');
      if (testid) s += `[data-testid=${testid}]`;
      return s;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 0.5) {
        out.push(`${describe(el)} (right edge ${Math.round(r.right)}px, width ${Math.round(r.width)}px)`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders: out.slice(0, 15) };
  }, VIEWPORT.width);
  assert.ok(
    scrollWidth <= VIEWPORT.width,
    `${what} is ${scrollWidth}px wide at a ${VIEWPORT.width}px viewport; elements past the edge:\n  ${offenders.join('\n  ')}`,
  );
}

/** The element is visible and its box lies fully inside the viewport's width. */
async function assertInsideViewport(locator, what) {
  await locator.waitFor({ state: 'visible' });
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  assert.ok(box, `${what} has no box`);
  assert.ok(box.x >= 0 && box.x + box.width <= VIEWPORT.width + 0.5, `${what} is outside the viewport: ${JSON.stringify(box)}`);
  assert.ok(box.width >= 24 && box.height >= 24, `${what} is too small to tap: ${Math.round(box.width)}×${Math.round(box.height)}px`);
}

describe(`responsive layout at ${VIEWPORT.width}×${VIEWPORT.height}`, { timeout: 10 * 60_000 }, () => {
  /** @type {Harness} */
  let h;

  before(async () => {
    h = await Harness.start('responsive');
    const { page, context } = await h.newPage({ locale: 'ko-KR' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'ko' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  for (const [locale, lang] of [['ko-KR', 'ko'], ['en-US', 'en']]) {
    it(`login page and dashboard fit, logout is reachable (${lang})`, { timeout: STEP_TIMEOUT_MS }, step(async () => {
      const { page, context } = await h.newPage({ locale, ...PHONE });

      await visit(page, '/login', { expectStatus: 200 });
      await expectText(page.locator('h1'), TEXT[lang].login);
      await assertNoHorizontalOverflow(page, `the login page (${lang})`);
      await assertInsideViewport(page.locator('form:has(#field-password) button[type=submit]'), 'the login button');

      await login(page, ADMIN, { locale: lang });
      await assertNoHorizontalOverflow(page, `the dashboard (${lang})`);

      // Sign-out lives in the account menu: one tap on the avatar, then the button.
      const logout = page.locator('button[data-testid=logout]');
      await assertInsideViewport(page.locator('[data-testid=account-menu]'), 'the account menu button');
      await openAccountMenu(page, logout);
      await assertInsideViewport(logout, 'the logout button');
      await logout.click();
      await waitForPath(page, '/login');
      await context.close();
    }));
  }

  /** `h` only exists once `before` has run, so the wrapper is resolved lazily. */
  function step(fn) {
    return (t) => h.step(fn)(t);
  }
});
