// Shared plumbing for the end-to-end tests: one fresh nuri server (with its own temporary data
// directory) and one headless Chromium per test file, pages that record console errors, the
// first-admin setup through the browser, and axe-core accessibility checks.
//
// Environment:
//   NURI_BIN        path to the nuri binary   (default: ${CARGO_TARGET_DIR:-../target}/debug/nuri)
//   NURI_SITE_ROOT  the built site directory  (default: ${CARGO_TARGET_DIR:-../target}/site)
//   CHROMIUM_PATH   the Chromium executable   (default: /usr/bin/chromium)
//   E2E_HEADED=1    show the browser window; E2E_SLOWMO=ms slows every action down
//   E2E_SERVER_LOG=1  echo the server's output while the tests run

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** The end2end/ directory. */
export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS_DIR = path.join(E2E_DIR, '.artifacts');
const TARGET_DIR = path.resolve(E2E_DIR, process.env.CARGO_TARGET_DIR || '../target');

export const NURI_BIN = path.resolve(E2E_DIR, process.env.NURI_BIN || path.join(TARGET_DIR, 'debug', 'nuri'));
export const NURI_SITE_ROOT = path.resolve(E2E_DIR, process.env.NURI_SITE_ROOT || path.join(TARGET_DIR, 'site'));
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** How long the server may take to print its URLs. */
const STARTUP_TIMEOUT_MS = 60_000;
/** Default timeout for a single Playwright action / wait. */
export const ACTION_TIMEOUT_MS = 15_000;
export const NAVIGATION_TIMEOUT_MS = 30_000;
/** A whole journey (one `it`). */
export const STEP_TIMEOUT_MS = 120_000;

/** The admin every test file creates through the setup page. Email in lower case on purpose. */
export const ADMIN = Object.freeze({
  name: 'Test Admin',
  email: 'admin@example.test',
  password: 'correct-horse-battery', // >= 10 characters
});

export const TEXT = Object.freeze({
  ko: { dashboard: '대시보드', login: '로그인', admin: '관리자', notFound: '페이지를 찾을 수 없습니다' },
  en: { dashboard: 'Dashboard', login: 'Log in', admin: 'Admin', notFound: 'Page not found' },
});

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const LISTEN_RE = /listening on (https?:\/\/[^\s"'<>\\]+)/;
const SETUP_RE = /(https?:\/\/[^\s"'<>\\]+\/setup\?token=[A-Za-z0-9_%\-.~]+)/;

/**
 * Starts `nuri serve` on a free port with a fresh data directory, and waits (up to 60 s) until it
 * has printed both its listening URL and the one-time setup URL (in either order).
 *
 * @returns {Promise<{baseURL: string, setupURL: string, dataDir: string, logText: () => string,
 *   logTail: (n?: number) => string, stop: () => Promise<void>, proc: import('node:child_process').ChildProcess}>}
 */
export async function startServer({ env = {}, args = ['serve'] } = {}) {
  if (!existsSync(NURI_BIN)) {
    throw new Error(
      `nuri binary not found at ${NURI_BIN}.\n` +
        'Build it first (e.g. `cargo build` plus the WASM/site build), or point NURI_BIN at it.',
    );
  }
  if (!existsSync(NURI_SITE_ROOT)) {
    throw new Error(`site directory not found at ${NURI_SITE_ROOT}; build the site or set NURI_SITE_ROOT.`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nuri-e2e-'));
  const proc = spawn(NURI_BIN, args, {
    cwd: E2E_DIR,
    env: {
      ...process.env,
      NURI_DATA_DIR: dataDir,
      NURI_LISTEN: '127.0.0.1:0',
      NURI_SITE_ROOT,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  const lines = [];
  const echo = process.env.E2E_SERVER_LOG === '1';
  let baseURL = null;
  let setupURL = null;
  let exited = null;
  let onChange = () => {};

  const consume = (stream, label) => {
    let buffered = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).replace(ANSI, '').replace(/\r$/, '');
        buffered = buffered.slice(nl + 1);
        lines.push(`[${label}] ${line}`);
        if (lines.length > 5000) lines.splice(0, lines.length - 5000);
        if (echo) process.stderr.write(`  nuri ${label}| ${line}\n`);
        // The contract says stdout; stderr is scanned too so a logger writing there still works.
        baseURL ??= line.match(LISTEN_RE)?.[1]?.replace(/[.,;:)\]]+$/, '') ?? null;
        setupURL ??= line.match(SETUP_RE)?.[1]?.replace(/[.,;:)\]]+$/, '') ?? null;
        onChange();
      }
    });
  };
  consume(proc.stdout, 'out');
  consume(proc.stderr, 'err');

  const exitPromise = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      exited = { code, signal };
      onChange();
      resolve(exited);
    });
    proc.on('error', (err) => {
      exited = { error: err };
      onChange();
      resolve(exited);
    });
  });

  const logText = () => lines.join('\n');
  const logTail = (n = 40) => lines.slice(-n).join('\n');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) {
          lines.push('[e2e] server did not stop within 10 s of SIGTERM; sending SIGKILL');
          proc.kill('SIGKILL');
        }
      }, 10_000);
      await exitPromise;
      clearTimeout(timer);
    }
    // nuri's own nginx (hosting's web addresses) outlives nuri by design; not this run's.
    try {
      process.kill(Number(readFileSync(path.join(dataDir, 'nginx', 'nginx.pid'), 'utf8').trim()), 'SIGQUIT');
    } catch {
      // no nginx was started
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `nuri did not print ${!baseURL ? '"listening on http://…"' : ''}${!baseURL && !setupURL ? ' and ' : ''}` +
              `${!setupURL ? 'the "/setup?token=…" URL' : ''} within ${STARTUP_TIMEOUT_MS / 1000} s.\n` +
              `--- server output ---\n${logTail(60)}`,
          ),
        );
      }, STARTUP_TIMEOUT_MS);
      onChange = () => {
        if (baseURL && setupURL) {
          clearTimeout(timer);
          resolve();
        } else if (exited) {
          clearTimeout(timer);
          reject(
            new Error(
              `nuri exited before it was ready (${JSON.stringify(exited.error?.message ?? exited)}).\n` +
                `--- server output ---\n${logTail(60)}`,
            ),
          );
        }
      };
      onChange();
    });
  } catch (err) {
    await stop();
    throw err;
  }
  onChange = () => {};

  // The setup URL must point at the server we just started.
  assert.equal(new URL(setupURL).origin, new URL(baseURL).origin, 'setup URL and listening URL disagree on the origin');
  return { baseURL, setupURL, dataDir, logText, logTail, stop, proc };
}

// ---------------------------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------------------------

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH).`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: process.env.E2E_HEADED !== '1',
    slowMo: Number(process.env.E2E_SLOWMO || 0) || undefined,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Console messages that are not the app's fault: a missing favicon. Anything else logged at
 * error level, and every uncaught exception, fails the journey.
 */
function isIgnorable(entry) {
  return entry.kind === 'console' && /\/(favicon\.ico|icon\.svg)(\?|$)/.test(entry.url || '') && /\b404\b/.test(entry.text);
}

/** Chromium's own log line for an HTTP error response ("Failed to load resource: …"). */
function isNetworkError(entry) {
  return entry.kind === 'console' && /^Failed to load resource/.test(entry.text);
}

// ---------------------------------------------------------------------------------------------
// The harness: server + browser for one test file
// ---------------------------------------------------------------------------------------------

/**
 * Starts the server and the browser. Use in `before`, and `close()` in `after`.
 *
 *   const h = await Harness.start('auth');
 *   const { page } = await h.newPage({ locale: 'ko-KR' });
 *   it('does a thing', h.step(async () => { ... }));
 */
export class Harness {
  /** `options.env`: extra environment for this suite's server (e.g. hosting's hypervisor). */
  static async start(suite, { env = {} } = {}) {
    const h = new Harness(suite);
    h.server = await startServer({ env });
    try {
      h.browser = await launchBrowser();
    } catch (err) {
      await h.server.stop();
      throw err;
    }
    return h;
  }

  constructor(suite) {
    this.suite = suite;
    /** @type {Awaited<ReturnType<typeof startServer>>} */
    this.server = null;
    /** @type {import('playwright-core').Browser} */
    this.browser = null;
    /** Open pages, with their console watchers, for failure screenshots and console checks. */
    this.pages = new Set();
    /** Console errors of JavaScript-enabled pages closed since the last check. */
    this.closedErrors = [];
    this.failures = 0;
  }

  get baseURL() {
    return this.server.baseURL;
  }

  url(pathname) {
    return new URL(pathname, this.server.baseURL).toString();
  }

  /**
   * A new browser context and page. Options are Playwright context options; the defaults are a
   * Korean browser with JavaScript on and the page's real CSP in force.
   */
  async newPage(options = {}) {
    const context = await this.browser.newContext({
      baseURL: this.server.baseURL,
      locale: 'ko-KR',
      viewport: { width: 1280, height: 800 },
      ...options,
    });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    const page = await context.newPage();
    // settle() waits for hydration on pages that run the client.
    page.nuriJavaScript = options.javaScriptEnabled !== false;
    const watch = watchConsole(page);
    const entry = { context, page, watch, javaScriptEnabled: options.javaScriptEnabled !== false };
    this.pages.add(entry);
    context.on('close', () => {
      this.pages.delete(entry);
      // Errors of a page closed inside a journey are still reported at the end of that journey.
      if (entry.javaScriptEnabled) this.closedErrors.push(...entry.watch.errors.splice(0));
    });
    return entry;
  }

  /**
   * Wraps a journey for `it(...)`: on success it also checks that no JS-enabled page logged an
   * error; on failure it saves screenshots and the server log to end2end/.artifacts/ and adds
   * the server log's tail and the console errors to the message.
   */
  step(fn) {
    return async (t) => {
      try {
        await fn(t);
        for (const { watch, javaScriptEnabled } of this.pages) {
          if (javaScriptEnabled) watch.assertClean();
        }
        if (this.closedErrors.length) {
          const list = this.closedErrors.splice(0).map((e) => `  - ${e.describe()}`);
          assert.fail(`the browser reported ${list.length} error(s):\n${list.join('\n')}`);
        }
      } catch (err) {
        this.failures += 1;
        const saved = await this.saveArtifacts(t?.name ?? 'step').catch((e) => `(could not save artifacts: ${e})`);
        const consoleErrors = [...this.closedErrors.splice(0), ...[...this.pages].flatMap(({ watch }) => watch.errors)]
          .map((e) => `  ${e.describe()}`)
          .join('\n');
        const extra =
          `\n--- artifacts: ${saved}` +
          (consoleErrors ? `\n--- browser console errors ---\n${consoleErrors}` : '') +
          `\n--- server output (tail) ---\n${this.server?.logTail(30) ?? '(no server)'}`;
        if (err && typeof err === 'object') {
          try {
            // The reporters print the stack, which was captured with the original message.
            if (typeof err.message === 'string') err.message += extra;
            if (typeof err.stack === 'string') err.stack += extra;
          } catch {
            /* read-only: leave it */
          }
        }
        throw err;
      }
    };
  }

  async saveArtifacts(name) {
    const slug = `${this.suite}-${name}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
    const dir = path.join(ARTIFACTS_DIR, slug);
    mkdirSync(dir, { recursive: true });
    let i = 0;
    for (const { page } of this.pages) {
      i += 1;
      if (page.isClosed()) continue;
      await page.screenshot({ path: path.join(dir, `page-${i}.png`), fullPage: true, timeout: 5_000 }).catch(() => {});
      const html = await page.content().catch(() => null);
      if (html) writeFileSync(path.join(dir, `page-${i}.html`), `<!-- ${page.url()} -->\n${html}`);
    }
    if (this.server) writeFileSync(path.join(dir, 'server.log'), this.server.logText());
    return path.relative(process.cwd(), dir) || dir;
  }

  async close() {
    for (const { context } of [...this.pages]) await context.close().catch(() => {});
    await this.browser?.close().catch(() => {});
    if (this.server) {
      if (this.failures > 0) {
        mkdirSync(ARTIFACTS_DIR, { recursive: true });
        writeFileSync(path.join(ARTIFACTS_DIR, `${this.suite}-server.log`), this.server.logText());
      }
      await this.server.stop();
    }
  }
}

/**
 * Records uncaught page errors and console messages of type "error".
 * `allowNetworkErrors(urlPart)` marks Chromium's "Failed to load resource" lines for responses
 * from URLs containing `urlPart` as expected (e.g. a deliberately failed login, or the 404 page).
 */
export function watchConsole(page) {
  const errors = [];
  const allowed = [];
  const describe = function () {
    return `${this.kind === 'pageerror' ? 'uncaught exception' : 'console.error'} on ${this.page}: ${this.text}` +
      (this.url ? ` (${this.url})` : '');
  };
  page.on('pageerror', (err) => {
    errors.push({ kind: 'pageerror', text: err.stack || String(err), page: page.url(), describe });
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const entry = { kind: 'console', text: msg.text(), url: msg.location()?.url, page: page.url(), describe };
    if (isIgnorable(entry)) return;
    if (isNetworkError(entry) && allowed.some((part) => (entry.url || '').includes(part))) return;
    errors.push(entry);
  });
  return {
    errors,
    allowNetworkErrors(urlPart) {
      allowed.push(urlPart);
      return () => {
        const i = allowed.indexOf(urlPart);
        if (i >= 0) allowed.splice(i, 1);
      };
    },
    assertClean() {
      if (errors.length) {
        const list = errors.splice(0).map((e) => `  - ${e.describe()}`); // report each error once
        assert.fail(`the browser reported ${list.length} error(s):\n${list.join('\n')}`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------------

/**
 * Goes to `pathname` and waits until the page has settled: loaded, the WASM fetched and
 * hydrated, no requests in flight. Returns the main response.
 */
export async function visit(page, pathname, { expectStatus } = {}) {
  const response = await page.goto(pathname, { waitUntil: 'load' });
  await settle(page);
  if (expectStatus !== undefined) {
    assert.equal(response?.status(), expectStatus, `GET ${pathname}: unexpected status`);
  }
  return response;
}

/**
 * Waits for the network to go quiet after a load or navigation and, on pages that run the
 * client, for `<html data-hydrated>`: lazy pages hydrate only once their chunk has arrived, and a
 * form submitted before that would post without JavaScript.
 */
export async function settle(page) {
  await page.waitForLoadState('load');
  await page.waitForLoadState('networkidle');
  if (page.nuriJavaScript !== false) {
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: ACTION_TIMEOUT_MS });
  }
}

/**
 * Asserts that this document fetched the hydration bundle from the build's content-hashed
 * directory and that the client started (JavaScript-enabled pages only).
 */
export async function assertHydrationBundleLoaded(page) {
  const loaded = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname),
  );
  for (const file of ['nuri.js', 'nuri_bg.wasm']) {
    const re = new RegExp(`^/pkg/[0-9a-f]{16}/${file.replace('.', '\\.')}$`);
    assert.ok(loaded.some((p) => re.test(p)), `${file} was not loaded from /pkg/<hash>/; resources: ${loaded.join(', ')}`);
  }
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: ACTION_TIMEOUT_MS });
}

/** Waits until `url`'s path is `pathname` (the query may be anything). */
export async function waitForPath(page, pathname, timeout = NAVIGATION_TIMEOUT_MS) {
  await page.waitForURL((url) => url.pathname === pathname, { timeout, waitUntil: 'load' });
  await settle(page);
}

/** Waits until the locator's text (trimmed) is exactly `expected`, then returns it. */
export async function expectText(locator, expected, timeout = ACTION_TIMEOUT_MS) {
  await locator.first().waitFor({ state: 'visible', timeout });
  const deadline = Date.now() + timeout;
  let actual;
  for (;;) {
    actual = ((await locator.first().textContent()) ?? '').trim();
    if (actual === expected || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(actual, expected, `text of ${locator}`);
  return actual;
}

/** Waits until `<html>` has the attribute value (e.g. lang=en, data-theme=dark). */
export async function expectHtmlAttr(page, name, value, timeout = ACTION_TIMEOUT_MS) {
  try {
    await page.waitForSelector(`html[${name}="${value}"]`, { state: 'attached', timeout });
  } catch {
    const actual = await page.evaluate((n) => document.documentElement.getAttribute(n), name);
    assert.equal(actual, value, `<html ${name}>`);
  }
}

/** Fills and submits the login form on the current page (which must be /login). */
export async function submitLogin(page, { email, password }) {
  await page.locator('#field-email').fill(email);
  await page.locator('#field-password').fill(password);
  // Not just `button[type=submit]`: the language and theme switches are submit buttons too.
  await page.locator('form:has(#field-password) button[type=submit]').click();
}

/** Opens /login, signs in and waits for the dashboard. */
export async function login(page, creds = ADMIN, { locale = 'ko' } = {}) {
  await visit(page, '/login');
  await submitLogin(page, creds);
  await waitForPath(page, '/');
  await expectText(page.locator('h1'), TEXT[locale].dashboard);
}

/**
 * Opens the top bar's account menu (a `<details>`) when `inside` is in it and hidden, so a test
 * can reach sign-out, language and theme as a person does: one click on the avatar first.
 */
export async function openAccountMenu(page, inside) {
  const menu = page.locator('details.account-menu');
  if ((await menu.count()) === 0) return;
  if (inside && (await inside.isVisible())) return;
  if ((await menu.getAttribute('open')) === null) await page.locator('[data-testid=account-menu]').click();
}

/**
 * Adds a person on the people page (which must be open): opens the "add a person" dialog, fills
 * it and submits. Resolves once the new person's row is in the table.
 */
export async function addPerson(page, { name, email, role, password, department }) {
  const form = page.locator('form:has(#field-password)');
  if (!(await form.isVisible())) await page.locator('.page-head button[popovertarget=add-person]').click();
  await form.locator('#field-name').fill(name);
  await form.locator('#field-email').fill(email);
  await form.locator('#field-role').selectOption(role);
  await form.locator('#field-password').fill(password);
  if (department) await form.locator('#field-department_id').selectOption({ label: department });
  await form.locator('button[type=submit]').click();
  await page.locator('table.table', { hasText: email }).waitFor();
}

/** Opens the row menu ("…") of the table row that names `who`. */
export async function openRowMenu(page, who) {
  const menu = page.locator('tr', { hasText: who }).locator('details.row-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator('summary').click();
}

/** The signed-in person's role, as the account menu shows it. */
export async function expectRole(page, expected) {
  const badge = page.locator('[data-testid=role]');
  await openAccountMenu(page, badge);
  await expectText(badge, expected);
}

/** Clicks the logout button (in the account menu) and waits for the login page. */
export async function logout(page) {
  const button = page.locator('button[data-testid=logout]');
  await openAccountMenu(page, button);
  await button.click();
  await waitForPath(page, '/login');
}

/**
 * Creates the first admin through the printed setup link and waits for the dashboard.
 * The page's locale decides which heading is expected.
 */
export async function setupAdmin(page, setupURL, creds = ADMIN, { locale = 'ko' } = {}) {
  await visit(page, setupURL);
  await page.locator('#field-name').fill(creds.name);
  await page.locator('#field-email').fill(creds.email);
  await page.locator('#field-password').fill(creds.password);
  await page.locator('form:has(#field-password) button[type=submit]').click();
  await waitForPath(page, '/');
  await expectText(page.locator('h1'), TEXT[locale].dashboard);
}

/** Clicks a plain form's submit button and waits for the document the server answers with. */
async function clickAndWaitForReload(page, button) {
  const loaded = page.waitForEvent('load', { timeout: NAVIGATION_TIMEOUT_MS });
  await button.click();
  await loaded;
}

/** Clicks a language button (`ko` / `en`) and waits for the reloaded page in that language. */
export async function switchLocale(page, locale) {
  const button = page.locator(`form[action="/preferences"] button[name=locale][value=${locale}]`).first();
  await openAccountMenu(page, button);
  await clickAndWaitForReload(page, button);
  await expectHtmlAttr(page, 'lang', locale);
  await settle(page);
}

/** Clicks a theme button (`light` / `dark` / `system`) and waits for `<html data-theme>`. */
export async function switchTheme(page, theme) {
  const button = page.locator(`form[action="/preferences"] button[name=theme][value=${theme}]`).first();
  await openAccountMenu(page, button);
  await clickAndWaitForReload(page, button);
  await expectHtmlAttr(page, 'data-theme', theme);
  await settle(page);
}

// ---------------------------------------------------------------------------------------------
// API helpers (Node's fetch)
// ---------------------------------------------------------------------------------------------

export async function apiJson(baseURL, pathname, { method = 'GET', body, token, headers = {} } = {}) {
  const res = await fetch(new URL(pathname, baseURL), {
    method,
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: leave null, the caller asserts */
  }
  return { status: res.status, headers: res.headers, json, text };
}

// ---------------------------------------------------------------------------------------------
// Accessibility (axe-core)
// ---------------------------------------------------------------------------------------------

let axeSource = null;
function loadAxeSource() {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/**
 * Seeds a small company with `nuri seed` on the test server's data directory (its admin, mentors,
 * mentees, mentorships with tasks, a curriculum) plus one form, and returns the seeded accounts
 * and one path for every page of the app, with real ids.
 */
export async function seedCompany(h) {
  const out = await new Promise((resolve, reject) => {
    const proc = spawn(NURI_BIN, ['seed', '--users', '12', '--mentorships', '4', '--tasks-per-mentorship', '3'], {
      env: { ...process.env, NURI_DATA_DIR: h.server.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    proc.stdout.on('data', (d) => (text += d));
    proc.stderr.on('data', (d) => (text += d));
    proc.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`nuri seed failed (${code}):\n${text}`))));
  });
  const password = out.match(/password for everyone: (\S+)/)[1];
  const account = (role) => ({ email: out.match(new RegExp(`nuri: ${role}\\s+(\\S+@\\S+)`))[1], password });
  const [admin, mentor, mentee] = ['admin', 'mentor', 'mentee'].map(account);

  const signIn = await apiJson(h.baseURL, '/api/v1/auth/login', { method: 'POST', body: admin });
  assert.equal(signIn.status, 200, signIn.text);
  const token = signIn.json.access_token;
  const first = async (path) => {
    const res = await apiJson(h.baseURL, path, { token });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.ok(res.json.items.length > 0, `${path} is empty`);
    return res.json.items[0].id ?? res.json.items[0].mentorship?.id;
  };
  const curriculum = await first('/api/v1/curricula');
  const mentorship = await first('/api/v1/mentorships');
  const task = await first('/api/v1/tasks');
  const created = await apiJson(h.baseURL, '/api/v1/forms', {
    method: 'POST',
    token,
    body: { title: '설문', questions: [{ kind: 'short_text', label: '한 줄', required: true }], mentorship_id: mentorship },
  });
  assert.equal(created.status, 201, created.text);
  const form = created.json.id;
  const made = await apiJson(h.baseURL, '/api/v1/workspaces', { method: 'POST', token, body: { name: '분석 1' } });
  assert.equal(made.status, 201, made.text);
  const workspace = made.json.id;
  const pages = [
    '/', '/account', '/admin/users', '/admin/users/import', '/admin/departments', '/curricula',
    `/curricula/${curriculum}`, '/mentorships', `/mentorships/${mentorship}`, '/tasks', `/tasks?mentorship_id=${mentorship}`, `/tasks/${task}`,
    '/notifications', '/forms', '/forms/new', `/forms/${form}`, '/styleguide',
    '/workspaces', `/workspaces/${workspace}`, `/workspaces/${workspace}?path=data&file=data%2Fsales.csv`,
    '/hosting', '/admin/hosting', '/admin/workspaces',
  ];
  return { admin, mentor, mentee, token, ids: { curriculum, mentorship, task, form, workspace }, pages };
}

/**
 * Runs axe-core on the current page and returns the violations with impact "serious" or
 * "critical". axe is injected through the DevTools protocol (Runtime.evaluate), which the page's
 * Content-Security-Policy does not apply to, so the app runs under its real CSP (and no
 * "refused to execute inline script" error is provoked).
 */
export async function runAxe(page, { tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } = {}) {
  const present = await page.evaluate(() => typeof window.axe === 'object' && typeof window.axe.run === 'function');
  if (!present) {
    const cdp = await page.context().newCDPSession(page);
    try {
      const { exceptionDetails } = await cdp.send('Runtime.evaluate', { expression: loadAxeSource(), returnByValue: true });
      if (exceptionDetails) throw new Error(`injecting axe-core failed: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    } finally {
      await cdp.detach().catch(() => {});
    }
  }
  const results = await page.evaluate(async (runTags) => {
    // eslint-disable-next-line no-undef
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: runTags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary, html: n.html })),
    }));
  }, tags);
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Readable report of axe violations for an assertion message. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((n) => `      at ${n.target}\n        ${n.html.slice(0, 200)}\n        ${(n.summary || '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}
