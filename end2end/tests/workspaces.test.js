// Workspaces: a person makes a workspace, drops two files on it and watches them upload, previews
// a CSV, runs the welcome notebooks, downloads what they wrote, cancels a slow run, ticks files to
// move and delete them together, and opens a real JupyterLab through nuri. Without JavaScript the
// folder view, the plain upload form and the cancel button still work.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, Harness, apiJson, login, setupAdmin, visit } from './helpers.js';

describe('workspaces', { timeout: 15 * 60_000 }, () => {
  /** @type {Harness} */
  let h;
  let workspaceURL;

  before(async () => {
    h = await Harness.start('workspaces');
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await setupAdmin(page, h.server.setupURL, ADMIN, { locale: 'en' });
    await context.close();
  });
  after(async () => {
    await h?.close();
  });

  const step = (fn) => (t) => h.step(fn)(t);

  /** A notebook that sleeps in its first cell: a run of it lasts until it is cancelled. */
  const SLOW = 'notebooks/sleep.ipynb';
  const api = async (pathname, options = {}) => {
    const signIn = await apiJson(h.baseURL, '/api/v1/auth/login', { method: 'POST', body: ADMIN });
    assert.equal(signIn.status, 200, signIn.text);
    return apiJson(h.baseURL, `/api/v1${pathname}`, { ...options, token: signIn.json.access_token });
  };
  const workspaceId = () => workspaceURL.split('/').pop();

  it('make a workspace, drop files with progress, preview a CSV', { timeout: 5 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await login(page, ADMIN, { locale: 'en' });
    await page.locator('nav.mainnav a[href="/workspaces"]').click();
    await page.waitForURL('**/workspaces');
    await page.locator('#field-name').fill('Sales analysis');
    await page.locator('#field-description').fill('First quarter');
    await page.locator('form:has(#field-name) button[type=submit]').click();
    await page.waitForURL(/\/workspaces\/\d+$/);
    workspaceURL = new URL(page.url()).pathname;
    await page.locator('h1', { hasText: 'Sales analysis' }).waitFor();
    const names = async () => page.locator('[data-testid=files] tbody .file-name a').allTextContents();
    assert.deepEqual((await names()).slice(0, 3), ['data', 'notebooks', 'outputs']);

    // Into data/, then drop two files: each gets its own progress bar and ends done.
    await page.locator('[data-testid=files] a', { hasText: 'data' }).click();
    await page.waitForURL(/path=data/);
    await page.locator('[data-testid=drop-zone]').waitFor();
    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      const big = 'region,amount\n' + 'Seoul,100\n'.repeat(200_000);
      dt.items.add(new File([big], 'big.csv', { type: 'text/csv' }));
      dt.items.add(new File(['name,score\nKim,3\nLee,5\n'], 'small.csv', { type: 'text/csv' }));
      return dt;
    });
    await page.dispatchEvent('[data-testid=drop-zone]', 'dragenter', { dataTransfer: dropped });
    await page.dispatchEvent('[data-testid=drop-zone]', 'dragover', { dataTransfer: dropped });
    await page.dispatchEvent('[data-testid=drop-zone]', 'drop', { dataTransfer: dropped });
    const rows = page.locator('[data-testid=upload-row]');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.locator('progress').count(), 2, 'a progress bar per file');
    await page.locator('[data-testid=upload-row][data-state=done]').nth(1).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=files] a', { hasText: 'small.csv' }).waitFor();
    assert.ok((await names()).includes('big.csv'));

    // Preview: the first rows as a table.
    await page.locator('[data-testid=files] a', { hasText: 'small.csv' }).click();
    await page.waitForURL(/file=data%2Fsmall.csv/);
    const preview = page.locator('[data-testid=preview]');
    await preview.locator('table').waitFor();
    assert.deepEqual(await preview.locator('thead th').allTextContents(), ['name', 'score']);
    assert.deepEqual(await preview.locator('tbody tr').first().locator('td').allTextContents(), ['Kim', '3']);
    await context.close();
  }));

  it('run the welcome notebooks in order and download what they wrote', { timeout: 5 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', acceptDownloads: true });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, workspaceURL);
    const runs = page.locator('[data-testid=runs]');
    const boxes = runs.locator('input[type=checkbox]');
    assert.deepEqual(
      await boxes.evaluateAll((els) => els.map((e) => [e.value, e.checked])),
      [['notebooks/01_clean.ipynb', true], ['notebooks/02_analyse.ipynb', true]],
    );
    await runs.locator('[data-testid=start-run]').click();
    await runs.locator('[data-testid=run][data-status=succeeded]').waitFor({ timeout: 180_000 });
    const done = await runs.locator('[data-testid=run]').first().locator('progress').evaluateAll((els) => els.map((e) => e.value === e.max));
    assert.deepEqual(done, [true, true], 'every cell of both notebooks ran');

    // The output of step 2, downloaded from the folder view.
    await visit(page, `${workspaceURL}?path=outputs`);
    const row = page.locator('[data-testid=files] tbody tr', { hasText: 'summary.csv' });
    await row.locator('details.row-menu summary').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.locator('a', { hasText: 'Download' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'summary.csv');
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
    assert.match(text, /region/i);
    await context.close();
  }));

  it('cancel a run that would take a minute', { timeout: 2 * 60_000 }, step(async () => {
    const cell = { cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: 'import time\ntime.sleep(60)' };
    const notebook = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell] });
    const signIn = await apiJson(h.baseURL, '/api/v1/auth/login', { method: 'POST', body: ADMIN });
    const put = await fetch(new URL(`/api/v1/workspaces/${workspaceId()}/files/content?path=${SLOW}`, h.baseURL), {
      method: 'PUT',
      headers: { authorization: `Bearer ${signIn.json.access_token}` },
      body: notebook,
    });
    assert.equal(put.status, 201, await put.text());

    const { page, context } = await h.newPage({ locale: 'en-US' });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, workspaceURL);
    const runs = page.locator('[data-testid=runs]');
    for (const box of await runs.locator('input[type=checkbox]').all()) {
      await box.setChecked((await box.getAttribute('value')) === SLOW);
    }
    await runs.locator('[data-testid=start-run]').click();
    const run = runs.locator('[data-testid=run]').first();
    await runs.locator('[data-testid=run][data-status=running]').waitFor({ timeout: 30_000 });
    await run.locator('[data-testid=cancel-run]').click();
    // The worker notices within a second and stops the kernel; the panel polls until then.
    await runs.locator('[data-testid=run][data-status=cancelled]').first().waitFor({ timeout: 15_000 });
    assert.equal(await run.getAttribute('data-status'), 'cancelled');
    assert.match(await run.locator('.run-head').innerText(), /Cancelled/);
    assert.equal(await run.locator('[data-testid=cancel-run]').count(), 0, 'nothing left to cancel');
    await context.close();
  }));

  it('tick two files and move them into a folder, move one back with the picker, delete a selection', { timeout: 2 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, `${workspaceURL}?path=data`);
    const files = page.locator('[data-testid=files]');
    const row = (name) => files.locator('tbody tr', { has: page.locator('.file-name a', { hasText: new RegExp(`^${name}$`) }) });
    await page.locator('#new-folder').fill('archive');
    await page.locator('form:has(#new-folder) button[type=submit]').click();
    await row('archive').waitFor();

    // Two ticked, moved into archive/ with the bar's folder list.
    await row('big.csv').locator('[data-testid=pick]').check();
    await row('small.csv').locator('[data-testid=pick]').check();
    assert.equal(await page.locator('[data-testid=selected-count]').textContent(), '2 selected');
    await page.locator('[data-testid=selection-to]').selectOption('data/archive');
    await page.locator('[data-testid=move-selected]').click();
    await page.locator('[data-testid=selection-report]', { hasText: '2 moved.' }).waitFor();
    await row('small.csv').waitFor({ state: 'detached' });
    assert.equal(await row('big.csv').count(), 0);

    // One back out, from its row: the picker offers folders, not a path to type.
    await row('archive').locator('.file-name a').click();
    await page.waitForURL(/path=data%2Farchive/);
    await row('small.csv').locator('details.row-menu summary').click();
    await row('small.csv').locator('[data-testid=move-link]').click();
    const panel = page.locator('[data-testid=move-panel]');
    const offered = await panel.locator('[data-testid=move-to] option').evaluateAll((os) => os.map((o) => o.value));
    assert.ok(offered.includes('data') && !offered.includes('data/archive'), `${offered}`);
    await panel.locator('[data-testid=move-to]').selectOption('data');
    await panel.locator('[data-testid=move-submit]').click();
    await panel.waitFor({ state: 'detached' });
    await row('small.csv').waitFor({ state: 'detached' });

    // Select all, then delete after the explicit confirmation.
    await page.locator('[data-testid=select-all]').check();
    assert.deepEqual(await files.locator('[data-testid=pick]').evaluateAll((bs) => bs.map((b) => b.checked)), [true]);
    await page.getByRole('button', { name: 'Delete selected…' }).click();
    await page.locator('[data-testid=delete-selected]').click();
    await page.locator('[data-testid=selection-report]', { hasText: '1 deleted.' }).waitFor();
    await page.getByText('This folder is empty.').waitFor();
    await context.close();
  }));

  it('start JupyterLab, see it load through nuri, and stop it', { timeout: 5 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US' });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, workspaceURL);
    const panel = page.locator('[data-testid=jupyter]');
    await panel.locator('[data-testid=start-jupyter]').click();
    await panel.locator('[data-testid=jupyter-state][data-state=starting], [data-testid=jupyter-state][data-state=running]').waitFor();
    await panel.locator('[data-testid=jupyter-state][data-state=running]').waitFor({ timeout: 120_000 });
    const [lab] = await Promise.all([
      context.waitForEvent('page'),
      panel.locator('[data-testid=open-jupyter]').click(),
    ]);
    await lab.waitForURL(/\/jupyter\/\d+\/lab/);
    // JupyterLab's own interface, served through nuri's proxy under the session.
    await lab.locator('#jp-main-dock-panel, .jp-LabShell').first().waitFor({ timeout: 90_000 });
    assert.ok(!lab.url().includes('token='), 'the token never reaches the browser');
    await lab.close();

    // An admin's overview shows it running (and nothing of its files); the admin stops it there.
    await visit(page, '/workspaces');
    await page.locator('.page-head a[href="/admin/workspaces"]').click();
    await page.waitForURL('**/admin/workspaces');
    const row = page.locator('[data-testid=workspace-row]', { hasText: 'Sales analysis' });
    assert.equal(await row.getAttribute('data-jupyter'), 'running');
    assert.equal((await page.locator('[data-testid=workspace-totals] .stat-value').nth(1).textContent()).trim(), '1');
    await row.getByRole('button', { name: /^Stop/ }).click();
    await page.locator('.toast', { hasText: 'JupyterLab is stopping.' }).waitFor();
    await visit(page, workspaceURL);
    await panel.locator('[data-testid=jupyter-state][data-state=stopped]').waitFor({ timeout: 60_000 });
    await context.close();
  }));

  it('without JavaScript: JupyterLab starts and stops, the page reloading itself meanwhile', { timeout: 3 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, workspaceURL);
    const state = (s) => page.locator(`[data-testid=jupyter-state][data-state=${s}]`);
    await page.locator('[data-testid=start-jupyter]').click();
    // Nothing polls without script: the page reloads itself until the server runs.
    await state('running').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=jupyter] button[type=submit]', { hasText: 'Stop' }).click();
    await state('stopped').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('noscript').count(), 0, 'no reload once nothing is in progress');
    await context.close();
  }));

  it('without JavaScript: the folder view, the plain upload form, the cancel button', { timeout: 2 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, `${workspaceURL}?path=data`);
    await page.locator('input[type=file][name=file]').setInputFiles([
      { name: 'plain.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
    ]);
    await page.locator('form.upload-form button[type=submit], [data-testid=drop-zone] button[type=submit]').first().click();
    await page.waitForURL(/uploaded=1/);
    await page.locator('[data-testid=files] a', { hasText: 'plain.txt' }).waitFor();

    // A run started elsewhere, cancelled with the page's plain form.
    const started = await api(`/workspaces/${workspaceId()}/runs`, { method: 'POST', body: { notebooks: [SLOW] } });
    assert.equal(started.status, 202, started.text);
    await visit(page, workspaceURL);
    const run = page.locator(`[data-testid=run]`).first();
    await run.locator('[data-testid=cancel-run]').click();
    await page.waitForURL(/\/workspaces\/\d+#runs$/);
    // Queued, it is cancelled at once; running, its worker stops it within a second or so.
    for (let tries = 0; (await run.getAttribute('data-status')) !== 'cancelled'; tries++) {
      assert.ok(tries < 10, `still ${await run.getAttribute('data-status')}`);
      await page.waitForTimeout(500);
      await visit(page, workspaceURL);
    }
    const ended = await api(`/workspaces/${workspaceId()}/runs/${started.json.id}`);
    assert.equal(ended.json.status, 'cancelled', ended.text);
    await context.close();
  }));
});
