// Hosting: a person adds an SSH key (a bad one is refused and kept), creates their hosting and
// watches its steps, opens its web address, stops, starts and deletes it (with a confirmation);
// an admin sees it in the overview, a mentee may not; without JavaScript the plain forms do the
// same.
//
// The server runs the real small guest (QEMU through libvirt's embedded driver, TCG here; what
// `ensure_guest` installs and builds) and its own nginx on a free port: the web address shows the
// guest's welcome page naming the person.

import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { Harness, apiJson, login, seedCompany, settle, visit, waitForPath } from './helpers.js';

/** A port nothing listens on now (nuri's nginx takes it). */
async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh ed25519 public key as one line of `id_ed25519.pub`, and its `ssh-keygen -l` fingerprint. */
function ed25519Key(comment) {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  const field = (b) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]);
  return {
    line: `ssh-ed25519 ${blob.toString('base64')} ${comment}`,
    fingerprint: `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`,
  };
}

describe('hosting', { timeout: 10 * 60_000 }, () => {
  /** @type {Harness} */
  let h;
  /** @type {Awaited<ReturnType<typeof seedCompany>>} */
  let seeded;
  let webPort;
  let libvirtRoot;
  let menteeId;
  let menteeName;

  before(async () => {
    webPort = await freePort();
    libvirtRoot = path.join(tmpdir(), `nuri-e2e-libvirt-${process.pid}`);
    h = await Harness.start('hosting', {
      env: {
        NURI_HYPERVISORS: `qemu:///embed?root=${libvirtRoot}`,
        NURI_HOSTING_HTTP_LISTEN: `127.0.0.1:${webPort}`,
        NURI_HOSTING_PUBLIC_HOST: '127.0.0.1',
      },
    });
    seeded = await seedCompany(h);
    const signIn = await apiJson(h.baseURL, '/api/v1/auth/login', { method: 'POST', body: seeded.mentee });
    assert.equal(signIn.status, 200, signIn.text);
    const me = await apiJson(h.baseURL, '/api/v1/auth/me', { token: signIn.json.access_token });
    assert.equal(me.status, 200, me.text);
    menteeId = me.json.id ?? me.json.user?.id;
    menteeName = me.json.name ?? me.json.user?.name;
    assert.ok(Number.isInteger(menteeId), `no user id in /me: ${me.text}`);
  });
  after(async () => {
    await h?.close();
    rmSync(libvirtRoot, { recursive: true, force: true });
  });

  const step = (fn) => (t) => h.step(fn)(t);
  const status = (page, s) => page.locator(`[data-testid=hosting-status][data-status=${s}]`);

  it('SSH keys: a bad key is refused and kept, a good one is listed with its fingerprint', { timeout: 2 * 60_000 }, step(async () => {
    const { page, context, watch } = await h.newPage({ locale: 'en-US' });
    // The refused key is a 422 answer, which Chromium logs.
    watch.allowNetworkErrors('/api/fn/add_ssh_key');
    await login(page, seeded.mentee, { locale: 'en' });
    // The hosting page suggests a key first, and links to where keys are added.
    await visit(page, '/hosting');
    await page.locator('[data-testid=hosting-no-keys] a[href="/account#ssh-keys"]').click();
    await waitForPath(page, '/account');
    const section = page.locator('section#ssh-keys');
    await section.locator('[data-testid=ssh-keys-empty]').waitFor();

    const broken = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBroken laptop';
    await section.locator('#field-public_key').fill(broken);
    await section.locator('button[type=submit]', { hasText: 'Add key' }).click();
    await section.locator('.field-error', { hasText: 'The key is damaged' }).waitFor();
    assert.equal(await section.locator('#field-public_key').inputValue(), broken, 'what was typed is kept');

    const key = ed25519Key('me@laptop');
    await section.locator('#field-public_key').fill(key.line);
    await section.locator('button[type=submit]', { hasText: 'Add key' }).click();
    await page.locator('.toast', { hasText: 'SSH key added' }).waitFor();
    const row = section.locator('[data-testid=ssh-key]');
    await row.waitFor();
    assert.equal((await row.locator('.ssh-key-name').textContent()).trim(), 'me@laptop', 'named by its comment');
    assert.equal((await row.locator('[data-testid=ssh-key-fingerprint]').textContent()).trim(), key.fingerprint);
    assert.equal(await section.locator('#field-public_key').inputValue(), '', 'the form is empty again');
    await context.close();
  }));

  it('create, watch the steps, open the web address, stop and start', { timeout: 3 * 60_000 }, step(async (t) => {
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseURL });
    await login(page, seeded.mentee, { locale: 'en' });
    await page.locator('nav.mainnav a[href="/hosting"]').click();
    await waitForPath(page, '/hosting');
    await page.locator('[data-testid=hosting-empty]').waitFor();
    assert.equal(await page.locator('[data-testid=hosting-no-keys]').count(), 0, 'the key hint is gone once a key exists');

    // Record every step list the page shows: on the test driver a create takes well under a
    // second, so the list may come and go between two looks.
    await page.evaluate(() => {
      window.seenSteps = [];
      const look = () => {
        const list = document.querySelector('[data-testid=hosting-steps]');
        const current = list?.querySelector('li.current')?.dataset.step;
        if (current && window.seenSteps.at(-1) !== current) window.seenSteps.push(current);
      };
      new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
    });
    await page.locator('[data-testid=hosting-create]').click();
    await page.locator('.toast', { hasText: 'Creating your hosting.' }).waitFor();
    await page.locator('[data-testid=hosting-steps], [data-testid=hosting-status][data-status=running]').first().waitFor();
    await status(page, 'running').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => window.seenSteps);
    t.diagnostic(`current steps seen while creating: ${seen.join(' → ') || '(none: done between two looks)'}`);
    const order = ['allocate', 'seed', 'define', 'start', 'wait', 'rule'];
    const positions = seen.map((s) => order.indexOf(s));
    assert.ok(positions.every((p, n) => p >= 0 && (n === 0 || p > positions[n - 1])), `steps out of order: ${seen}`);
    // The timeline has every step of the create, newest first.
    const timeline = page.locator('[data-testid=hosting-timeline] li');
    const steps = await timeline.evaluateAll((els) => els.map((e) => e.dataset.step));
    for (const s of [...order, 'ready']) assert.ok(steps.includes(s), `the timeline lacks ${s}: ${steps}`);
    assert.equal(steps[0], 'ready', 'newest first');

    // Where to reach it: the web address (a new tab) and the SSH command with a copy button.
    const link = page.locator('[data-testid=hosting-web-url]');
    const url = await link.getAttribute('href');
    assert.equal(url, `http://127.0.0.1:${webPort}/${menteeId}/`);
    assert.equal(await link.getAttribute('target'), '_blank');
    const ssh = (await page.locator('[data-testid=hosting-ssh]').textContent()).trim();
    assert.match(ssh, /^ssh -p \d+ /, ssh);
    await page.locator('[data-testid=hosting-sftp]').waitFor();
    await page.locator('button[aria-label="Copy — SSH"]').click();
    await page.locator('.toast', { hasText: 'Copied' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ssh);

    // The address opens the guest's own welcome page, through nuri's nginx.
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await tab.waitForLoadState('domcontentloaded');
    assert.equal(tab.url(), url);
    await tab.locator('body', { hasText: menteeName }).waitFor();
    await tab.close();
    const answer = await fetch(url, { redirect: 'manual' });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('server') ?? '', /nginx/i, 'the answer comes through nginx');

    // Stop, then start again.
    await page.locator('[data-testid=hosting-stop]').click();
    await page.locator('.toast', { hasText: 'Stopping your hosting.' }).waitFor();
    await status(page, 'stopped').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=hosting-start]').waitFor();
    assert.equal(await page.locator('[data-testid=hosting-stop]').count(), 0, 'no stop button when stopped');
    await page.locator('[data-testid=hosting-start]').click();
    await status(page, 'running').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=hosting-stop]').waitFor();
    await context.close();
  }));

  it('an admin sees every hosting with its totals; a mentee may not', { timeout: 2 * 60_000 }, step(async () => {
    const admin = await h.newPage({ locale: 'en-US' });
    await login(admin.page, seeded.admin, { locale: 'en' });
    // Admins reach the overview from their own hosting page.
    await visit(admin.page, '/hosting');
    await admin.page.locator('.page-head a[href="/admin/hosting"]').click();
    await waitForPath(admin.page, '/admin/hosting');
    const row = admin.page.locator('[data-testid=hosting-row]', { hasText: seeded.mentee.email });
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'running');
    assert.equal((await admin.page.locator('[data-testid=hosting-totals] [data-status=running] .stat-value').textContent()).trim(), '1');
    await admin.context.close();

    const mentee = await h.newPage({ locale: 'en-US' });
    mentee.watch.allowNetworkErrors('/admin/hosting');
    await login(mentee.page, seeded.mentee, { locale: 'en' });
    await visit(mentee.page, '/hosting');
    assert.equal(await mentee.page.locator('a[href="/admin/hosting"]').count(), 0, 'no overview link for a mentee');
    await visit(mentee.page, '/admin/hosting', { expectStatus: 403 });
    await mentee.page.locator('[data-testid=forbidden]').waitFor();
    await mentee.context.close();
  }));

  it('delete asks first, then the page is empty again', { timeout: 2 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await login(page, seeded.mentee, { locale: 'en' });
    await visit(page, '/hosting');
    await status(page, 'running').waitFor();
    await page.locator('[data-testid=hosting-delete]').click();
    const dialog = page.locator('#hosting-delete');
    await dialog.waitFor();
    // Cancel keeps it.
    await dialog.locator('button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('[data-testid=hosting-delete]').click();
    await dialog.locator('[data-testid=hosting-delete-confirm]').click();
    await page.locator('.toast', { hasText: 'Deleting your hosting.' }).waitFor();
    await page.locator('[data-testid=hosting-empty]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=hosting-create]').waitFor();
    await context.close();
  }));

  it('without JavaScript: a refused key is kept, and create and delete work as plain forms', { timeout: 3 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(page, seeded.mentee, { locale: 'en' });

    await visit(page, '/account');
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA';
    await page.locator('#field-public_key').fill(privateKey);
    await page.locator('#field-name').fill('oops');
    await Promise.all([page.waitForURL(/\/account\?e=/), page.locator('section#ssh-keys button[type=submit]', { hasText: 'Add key' }).click()]);
    await page.locator('section#ssh-keys .field-error', { hasText: 'This is a private key' }).waitFor();
    assert.equal(await page.locator('#field-public_key').inputValue(), privateKey);
    assert.equal(await page.locator('#field-name').inputValue(), 'oops');

    await visit(page, '/hosting');
    await Promise.all([page.waitForURL('**/hosting'), page.locator('[data-testid=hosting-create]').click()]);
    await page.locator('[data-testid=hosting-card]').waitFor();
    // No script polls here: reload until the create is done.
    for (let n = 0; n < 60 && (await status(page, 'running').count()) === 0; n++) {
      await new Promise((r) => setTimeout(r, 500));
      await visit(page, '/hosting');
    }
    await status(page, 'running').waitFor();
    // The confirmation is the browser's popover: it opens without script too.
    await page.locator('[data-testid=hosting-delete]').click();
    await Promise.all([page.waitForURL('**/hosting'), page.locator('[data-testid=hosting-delete-confirm]').click()]);
    await settle(page);
    for (let n = 0; n < 60 && (await page.locator('[data-testid=hosting-empty]').count()) === 0; n++) {
      await new Promise((r) => setTimeout(r, 500));
      await visit(page, '/hosting');
    }
    await page.locator('[data-testid=hosting-empty]').waitFor();
    await context.close();
  }));
});
