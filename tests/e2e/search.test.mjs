// Search in the real window: Ctrl+K, results as you type with a highlighted snippet from a
// named field, a facet chip narrows, Enter opens the postmortem; similar incidents show on
// the postmortem page and while drafting a new one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-search-'));
let app;

before(async () => {
  // The library is prepared with the real CLI; the app opens it as a user's existing library.
  execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'demo']);
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const text = async (el) => (await el.getProperty('textContent')).trim();

test('typing a query shows ranked hits with highlighted snippets', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 30000 });
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue('certificate expiry');
  const hits = () => b.$$('[data-testid="search-hit"]');
  await until(b, async () => (await hits()).length > 0, 'no search hits appeared');
  const total = await text(await b.$('[data-testid="search-total"]'));
  assert.match(total, /\d+/);
  const snippet = await (await hits())[0].$('[data-testid="search-snippet"]');
  assert.match(await snippet.getHTML(), /<mark>/i);
  const field = await text(await (await hits())[0].$('[data-testid="search-snippet-field"]'));
  assert.ok(field.length > 0, 'the snippet names its field');
  screenshot('search');
});

test('a facet chip narrows the results', async () => {
  const b = app.browser;
  const hits = () => b.$$('[data-testid="search-hit"]');
  const before = Number((await text(await b.$('[data-testid="search-total"]'))).match(/\d+/)[0]);
  const chip = await b.$('[data-testid="facet-chip"][data-facet="severity"]');
  const value = await chip.getAttribute('data-value');
  await chip.click();
  const input = await b.$('[data-testid="search-input"]');
  await until(b, async () => (await input.getValue()).includes(`severity:${value}`), 'the chip did not add its filter');
  await until(b, async () => {
    const n = Number((await text(await b.$('[data-testid="search-total"]'))).match(/\d+/)[0]);
    return n < before || (await hits()).length > 0;
  }, 'the results did not update');
  for (const h of await hits()) assert.match(await text(h), new RegExp(value));
});

test('a typo still finds the postmortem, and Enter opens it', async () => {
  const b = app.browser;
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.clearValue();
  await input.setValue('credentail stuffing'); // two letters swapped in "credential"
  const first = await b.$('[data-testid="search-hit"]');
  await first.waitForDisplayed({ timeout: 10000 });
  const id = await first.getAttribute('data-id');
  await input.addValue('\uE007'); // Enter
  const title = await b.$('[data-testid="pm-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  const view = JSON.parse(execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'show', id, '--json']));
  assert.equal(await title.getValue(), view.postmortem.title);
  const panel = await b.$('[data-testid="similar-panel"]');
  await panel.waitForDisplayed({ timeout: 10000 });
  await until(b, async () => (await b.$$('[data-testid="similar-item"]')).length > 0, 'no similar incidents listed');
  screenshot('postmortem-similar');
});

test('an unparseable query explains itself', async () => {
  const b = app.browser;
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.clearValue();
  await input.setValue('severity:SEV9');
  const err = await b.$('[data-testid="search-error"]');
  await err.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(err), /SEV1, SEV2, SEV3 or SEV4/);
  await input.clearValue();
});

test('the new-postmortem dialog suggests similar incidents while typing', async () => {
  const b = app.browser;
  await b.keys(['Escape']);
  await (await b.$('[data-testid="new-postmortem"]')).click();
  const title = await b.$('[data-testid="new-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  await title.setValue('connection pool exhausted');
  const similar = await b.$('[data-testid="draft-similar"]');
  await similar.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(similar), /pool/i);
});
