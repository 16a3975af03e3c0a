// Workspaces: a person makes a workspace, drops two files on it and watches them upload, previews
// a CSV, runs the welcome notebooks, downloads what they wrote, and opens a real JupyterLab
// through nuri. Without JavaScript the folder view and the plain upload form still work.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ADMIN, Harness, login, setupAdmin, visit } from './helpers.js';

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

  it('without JavaScript: the folder view and the plain upload form', { timeout: 2 * 60_000 }, step(async () => {
    const { page, context } = await h.newPage({ locale: 'en-US', javaScriptEnabled: false });
    await login(page, ADMIN, { locale: 'en' });
    await visit(page, `${workspaceURL}?path=data`);
    await page.locator('input[type=file][name=file]').setInputFiles([
      { name: 'plain.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
    ]);
    await page.locator('form.upload-form button[type=submit], [data-testid=drop-zone] button[type=submit]').first().click();
    await page.waitForURL(/uploaded=1/);
    await page.locator('[data-testid=files] a', { hasText: 'plain.txt' }).waitFor();
    await context.close();
  }));
});
