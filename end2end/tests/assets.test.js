// What ships to the browser: every page hydrates (no console error, `<html data-hydrated>` set by the
// client), assets are content-hashed, precompressed and cached immutably, a repeat visit downloads
// only the HTML, and the first visit of /login stays small.
//
// Run against the release build (scripts/test.sh does): the debug build skips wasm-opt and
// precompression, which is exactly where a release-only breakage hides.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Harness, STEP_TIMEOUT_MS, login, seedCompany, visit } from './helpers.js';

/** The login page's first visit, compressed, HTML + JS + WASM + CSS (the goal is 250 kB). */
const LOGIN_BUDGET_BYTES = 300_000;

/** Bytes the page's own resources took on the wire (compressed), by kind. */
async function transfer(page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const entries = [nav, ...performance.getEntriesByType('resource')];
    return entries.map((e) => ({
      path: new URL(e.name).pathname,
      transferSize: e.transferSize,
      encodedBodySize: e.encodedBodySize,
      decodedBodySize: e.decodedBodySize,
    }));
  });
}

async function expectHydrated(page, pathname) {
  await page
    .locator('html[data-hydrated]')
    .waitFor({ state: 'attached', timeout: 15_000 })
    .catch(() => assert.fail(`${pathname} did not hydrate (no <html data-hydrated>)`));
}

describe('assets and hydration (release build)', { timeout: 10 * 60_000 }, () => {
  /** @type {Harness} */
  let h;
  /** @type {Awaited<ReturnType<typeof seedCompany>>} */
  let seeded;
  before(async () => {
    h = await Harness.start('assets');
  });
  after(async () => {
    await h?.close();
  });
  const step = (fn) => (t) => h.step(fn)(t);

  it('a. the first visit of /login is small, hashed, precompressed and cached for a year', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page } = await h.newPage();
    await visit(page, '/login', { expectStatus: 200 });
    await expectHydrated(page, '/login');

    const entries = await transfer(page);
    const pkg = entries.filter((e) => e.path.startsWith('/pkg/'));
    for (const kind of ['.js', '.wasm', '.css']) {
      const hit = pkg.find((e) => e.path.endsWith(kind));
      assert.ok(hit, `no ${kind} asset loaded: ${pkg.map((e) => e.path).join(', ')}`);
      assert.match(hit.path, /^\/pkg\/[0-9a-f]{16}\//, `${hit.path} is not under a content-hashed directory`);
    }
    const total = entries.reduce((sum, e) => sum + e.transferSize, 0);
    const lines = entries.map((e) => `  ${e.path}: ${e.transferSize} B on the wire (${e.decodedBodySize} B decoded)`);
    console.log(`login page, first visit: ${total} B\n${lines.join('\n')}`);
    assert.ok(total > 0, 'the browser reported no transfer sizes');
    assert.ok(total <= LOGIN_BUDGET_BYTES, `the login page's first visit transferred ${total} B (budget ${LOGIN_BUDGET_BYTES} B):\n${lines.join('\n')}`);

    // Every hashed asset: precompressed bytes, immutable caching, Vary for caches in between.
    for (const { path } of pkg) {
      const res = await fetch(h.url(path), { headers: { 'accept-encoding': 'br, gzip' } });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-encoding'), 'br', `${path} is not sent as brotli`);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable', path);
      assert.match(res.headers.get('vary') ?? '', /accept-encoding/i, `${path} lacks Vary: Accept-Encoding`);
      const gz = await fetch(h.url(path), { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers.get('content-encoding'), 'gzip', `${path} has no gzip variant`);
      await gz.arrayBuffer();
    }
    // HTML and JSON are compressed on the fly; the service worker is always revalidated.
    const html = await fetch(h.url('/login'), { headers: { 'accept-encoding': 'br' } });
    assert.equal(html.headers.get('content-encoding'), 'br', 'the login page is not compressed');
    const sw = await fetch(h.url('/sw.js'));
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
    const swText = await sw.text();
    assert.ok(!swText.includes('__NURI_'), 'the service worker was not filled in by the build');
    for (const { path } of pkg) assert.ok(swText.includes(`"${path}"`), `the service worker does not precache ${path}`);
  }));

  it('b. a repeat visit downloads only the HTML', { timeout: STEP_TIMEOUT_MS }, step(async () => {
    const { page } = await h.newPage();
    await visit(page, '/login');
    await expectHydrated(page, '/login');
    // The service worker precached this build's files under their hashed names, in one cache.
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const names = await caches.keys();
      const urls = [];
      for (const name of names) {
        for (const req of await (await caches.open(name)).keys()) urls.push(new URL(req.url).pathname);
      }
      return { names, urls };
    });
    const build = (await (await fetch(h.url('/sw.js'))).text()).match(/const BUILD = "([0-9a-f]{16})"/)[1];
    assert.deepEqual(cached.names, [`nuri-${build}`], 'one cache, named for this build');
    for (const file of ['nuri.js', 'nuri_bg.wasm', 'nuri.css']) {
      assert.ok(cached.urls.includes(`/pkg/${build}/${file}`), `${file} is not precached: ${cached.urls.join(', ')}`);
    }
    // A fresh document in the same context: the HTTP cache (or the service worker) serves the rest.
    await visit(page, '/login');
    await expectHydrated(page, '/login');
    const fetched = (await transfer(page)).filter((e) => e.path !== '/login' && e.transferSize > 0);
    assert.deepEqual(fetched, [], 'a repeat visit fetched assets from the network again');
  }));

  it('c. every page hydrates without a console error', { timeout: 5 * 60_000 }, step(async () => {
    const { page, watch } = await h.newPage();
    watch.allowNetworkErrors('/no-such-page');
    seeded ??= await seedCompany(h);
    const { mentorship } = seeded.ids;
    await login(page, seeded.admin, { locale: 'ko' });
    const pages = [...seeded.pages, '/no-such-page'];
    // Hydration that fails now and then (a tree that differs between server and client only
    // under some timing) shows only over repeated loads: every page three times, and the
    // mentorship page, which used to panic about one load in 25, fifty times.
    const rounds = (path) => (path === `/mentorships/${mentorship}` ? 50 : 3);
    for (const path of pages) {
      for (let n = 0; n < rounds(path); n++) {
        await visit(page, path);
        await expectHydrated(page, path);
      }
    }
    const anonymous = await h.newPage();
    for (const path of ['/login', '/setup', '/register']) {
      await visit(anonymous.page, path);
      await expectHydrated(anonymous.page, path);
    }
  }));
});
