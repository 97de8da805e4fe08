// The foundation journey in the real window: load the sample library, filter, open a
// postmortem, edit a field, see it autosave, restart the app and find the edit; create and
// delete a postmortem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-'));
let app;

before(async () => { app = await startApp(libraryDir); });
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const rows = (b) => b.$$('[data-testid="pm-row"]');

test('the sample library loads from the empty state', async () => {
  const b = app.browser;
  const load = await b.$('[data-testid="load-sample"]');
  await load.waitForDisplayed({ timeout: 30000 });
  await load.click();
  await until(b, async () => (await rows(b)).length >= 40, 'sample rows did not appear');
  const count = await (await b.$('[data-testid="list-count"]')).getText();
  assert.match(count, /^\d+ postmortems$/);
  const badge = await b.$('[data-testid="overdue-badge"]');
  assert.match(await badge.getText(), /\d+ overdue/);
  screenshot('library');
});

test('a severity chip narrows the list', async () => {
  const b = app.browser;
  const all = (await rows(b)).length;
  await (await b.$('[data-testid="severity-filter-SEV1"]')).click();
  await until(b, async () => (await rows(b)).length < all, 'SEV1 filter did not narrow the list');
  const shown = await rows(b);
  assert.ok(shown.length > 0);
  for (const r of shown) assert.match(await r.getProperty('textContent'), /SEV1/);
  await (await b.$('[data-testid="severity-filter-SEV1"]')).click();
  await until(b, async () => (await rows(b)).length === all, 'clearing the filter did not restore the list');
});

let editedId;
const suffix = ' (edited in e2e)';

test('editing a title autosaves', async () => {
  const b = app.browser;
  const first = (await rows(b))[0];
  editedId = await first.getAttribute('data-id');
  // WebKitWebDriver cannot click a <tr> itself; click its title cell as a user would.
  await (await first.$('td:nth-child(3)')).click();
  const title = await b.$('[data-testid="pm-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  const before = await title.getValue();
  assert.ok(before.length > 0);
  // Element Send Keys appends at the end of the input, like typing after clicking there.
  await title.addValue(suffix);
  await until(b, async () => (await title.getValue()).endsWith(suffix), 'typing did not reach the title');
  const state = await b.$('[data-testid="save-state"]');
  // textContent: WebKitWebDriver's rendered-text atom reads this flex label as empty.
  const stateText = async () => (await state.getProperty('textContent')).trim();
  try {
    await until(b, async () => (await stateText()).startsWith('Saved'), 'the edit was not saved', 20000);
  } catch (e) {
    screenshot('postmortem-save-failed');
    throw new Error(`${e.message}; save state reads ${JSON.stringify(await stateText())}`);
  }
  screenshot('postmortem');
});

test('the edit survives a restart of the app', async () => {
  await app.stop();
  app = await startApp(libraryDir);
  const b = app.browser;
  const row = await b.$(`[data-testid="pm-row"][data-id="${editedId}"]`);
  await row.waitForDisplayed({ timeout: 30000 });
  assert.match(await row.getProperty('textContent'), /\(edited in e2e\)/);
  await (await row.$('td:nth-child(3)')).click();
  const title = await b.$('[data-testid="pm-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  assert.ok((await title.getValue()).endsWith(suffix));
  await (await b.$('[data-testid="back-to-library"]')).click();
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 10000 });
});

test('a new postmortem starts from a template and can be deleted', async () => {
  const b = app.browser;
  const before = (await rows(b)).length;
  await (await b.$('[data-testid="new-postmortem"]')).click();
  const title = await b.$('[data-testid="new-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  await title.setValue('Queue backlog on billing-worker');
  await (await b.$('[data-testid="new-severity"]')).selectByAttribute('value', 'SEV1');
  await until(b, async () => (await (await b.$('[data-testid="new-template"]')).getValue()) === 'Standard blameless',
    'the template did not follow the severity');
  await (await b.$('[data-testid="new-create"]')).click();
  const pmTitle = await b.$('[data-testid="pm-title"]');
  await pmTitle.waitForDisplayed({ timeout: 10000 });
  assert.equal(await pmTitle.getValue(), 'Queue backlog on billing-worker');
  await (await b.$('[data-testid="section-summary"]')).waitForDisplayed();
  await (await b.$('[data-testid="section-lessons"]')).waitForExist();
  await (await b.$('[data-testid="delete-postmortem"]')).click();
  await (await b.$('[data-testid="confirm-delete"]')).click();
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 10000 });
  await until(b, async () => (await rows(b)).length === before, 'the deleted postmortem is still listed');
});
