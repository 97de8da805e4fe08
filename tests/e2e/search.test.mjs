// Search in the real window: Ctrl+K, results as you type with a highlighted snippet from a
// named field, a facet chip narrows, Enter opens the postmortem; similar incidents show on
// the postmortem page and while drafting a new one.
//
// Each test starts from the library and types its own query; it waits only for results that
// answer that query (the results carry it in data-query, and hits are marked only while they
// answer the query in the box), and checks them against what the CLI finds in the same library.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, cliJson, home, settled, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-search-'));
let app;

before(async () => {
  // The library is prepared with the real CLI; the app opens it as a user's existing library.
  cli(libraryDir, ['demo']);
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const text = async (el) => (await el.getProperty('textContent')).trim();
const num = (s) => Number(s.match(/\d+/)[0]);

/**
 * Types `query` into the search box in place of what was there, and resolves with the results
 * once they answer it (not an earlier query's, which stay on screen, dimmed, until then).
 */
async function search(b, query) {
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue(query);
  await until(b, async () => (await input.getValue()) === query, `"${query}" did not reach the search box`);
  const results = await b.$('[data-testid="search-results"]');
  await until(b, async () => (await results.isExisting()) && (await results.getAttribute('data-query')) === query,
    `no results answer "${query}"`);
  return results;
}

/** The ids of the hits shown, in order. */
async function hitIds(results) {
  const ids = [];
  for (const h of await results.$$('[data-testid="search-hit"]')) ids.push(await h.getAttribute('data-id'));
  return ids;
}

test('typing a query shows ranked hits with highlighted snippets', async () => {
  const b = app.browser;
  await home(b);
  const results = await search(b, 'certificate expiry');
  const expected = cliJson(libraryDir, ['search', '--limit', '20', 'certificate expiry']);
  assert.ok(expected.total > 1, 'the sample library has several certificate incidents');
  assert.equal(num(await text(await results.$('[data-testid="search-total"]'))), expected.total);
  assert.deepEqual(await hitIds(results), expected.hits.map((h) => h.id), 'the hits are not ranked as the core ranks them');
  const first = (await results.$$('[data-testid="search-hit"]'))[0];
  assert.match(await (await first.$('[data-testid="search-snippet"]')).getHTML(), /<mark>/i);
  assert.equal(await text(await first.$('[data-testid="search-snippet-field"]')), expected.hits[0].snippet.field, 'the snippet names its field');
  await settled(b);
  screenshot('search');
});

test('a facet chip narrows the results', async () => {
  const b = app.browser;
  await home(b);
  const results = await search(b, 'certificate expiry');
  const before = num(await text(await results.$('[data-testid="search-total"]')));
  // A severity chip that leaves fewer results than there are now.
  let chip, value, count;
  for (const c of await results.$$('[data-testid="facet-chip"][data-facet="severity"]')) {
    const n = num(await text(await c.$('.chip-count')));
    if (n < before) [chip, value, count] = [c, await c.getAttribute('data-value'), n];
  }
  assert.ok(chip, 'no severity chip would narrow the results');
  await chip.click();
  const input = await b.$('[data-testid="search-input"]');
  await until(b, async () => (await input.getValue()).includes(`severity:${value}`), 'the chip did not add its filter');
  const query = await input.getValue();
  await until(b, async () => (await results.getAttribute('data-query')) === query, `no results answer "${query}"`);
  // As many results as the chip promised, the ones the core finds for the narrowed query.
  assert.equal(num(await text(await results.$('[data-testid="search-total"]'))), count);
  const expected = cliJson(libraryDir, ['search', '--limit', '20', query]);
  assert.equal(expected.total, count);
  assert.deepEqual(await hitIds(results), expected.hits.map((h) => h.id));
  for (const h of await results.$$('[data-testid="search-hit"]')) assert.match(await text(h), new RegExp(value));
});

test('a typo still finds the postmortem, and Enter opens it', async () => {
  const b = app.browser;
  await home(b);
  const results = await search(b, 'credentail stuffing'); // two letters swapped in "credential"
  const [id] = await hitIds(results);
  const expected = cliJson(libraryDir, ['search', 'credentail stuffing']);
  assert.equal(id, expected.hits[0]?.id, 'the first hit is not the one the core ranks first');
  const view = cliJson(libraryDir, ['show', id]);
  assert.match(view.postmortem.title, /credential/i, 'the typo did not find the credential-stuffing postmortem');
  await (await b.$('[data-testid="search-input"]')).addValue('\uE007'); // Enter
  const title = await b.$(`[data-testid="postmortem-page"][data-id="${id}"] [data-testid="pm-title"]`);
  await title.waitForDisplayed({ timeout: 10000, timeoutMsg: 'Enter did not open the first hit' });
  assert.equal(await title.getValue(), view.postmortem.title);
  assert.equal(await b.$('.search-view').isExisting(), false, 'search stayed open over the postmortem');
  // The incidents the core finds most similar, in its order.
  const similar = cliJson(libraryDir, ['similar', id]).map((s) => s.id);
  assert.ok(similar.length > 0);
  const shown = async () => {
    const ids = [];
    for (const s of await b.$$('[data-testid="similar-item"]')) ids.push(await s.getAttribute('data-id'));
    return ids;
  };
  await until(b, async () => JSON.stringify(await shown()) === JSON.stringify(similar),
    'the similar incidents are not the ones the core finds').catch(async (e) => {
    throw new Error(`${e.message}: ${JSON.stringify(await shown())} vs ${JSON.stringify(similar)}`);
  });
  await settled(b);
  screenshot('postmortem-similar');
});

test('an unparseable query explains itself', async () => {
  const b = app.browser;
  await home(b);
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue('severity:SEV9');
  await until(b, async () => (await input.getValue()) === 'severity:SEV9', 'the query did not reach the search box');
  // Marked as search-error only while it belongs to the query in the box.
  const err = await b.$('[data-testid="search-error"]');
  await err.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(err), /SEV1, SEV2, SEV3 or SEV4/);
  assert.equal(await (await b.$('[data-testid="search-results"]')).getAttribute('data-query'), null,
    'results are offered as the answer to a query that did not parse');
});

test('the new-postmortem dialog suggests similar incidents while typing', async () => {
  const b = app.browser;
  await home(b);
  await (await b.$('[data-testid="new-postmortem"]')).click();
  const title = await b.$('[data-testid="new-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  assert.equal(await b.$('[data-testid="draft-similar"]').isExisting(), false);
  const typed = 'connection pool exhausted';
  await title.setValue(typed);
  // Suggestions for the whole title, not for the first letters typed.
  const similar = await b.$(`[data-testid="draft-similar"][data-for="${typed}"]`);
  await similar.waitForDisplayed({ timeout: 10000, timeoutMsg: `no suggestions for "${typed}"` });
  assert.match(await text(similar), /pool/i);
  await (await b.$('button=Cancel')).click();
  await until(b, async () => !(await b.$('[data-testid="new-title"]').isExisting()), 'the dialog did not close');
});
