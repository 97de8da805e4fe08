// Action items in the real window: the overdue count at start-up (badge and window title),
// the board with follow-through, an overdue item marked done on the board, and the count
// dropping everywhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-actions-'));
let app;

before(async () => {
  // The sample library, loaded by the CLI before the app starts: overdue items exist at launch.
  execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'demo']);
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const text = async (el) => (await el.getProperty('textContent')).trim();
const badgeCount = async (b) => Number((await text(await b.$('[data-testid="overdue-badge"]'))).match(/\d+/)[0]);

let overdueAtStart;

test('overdue items are counted at start-up in the badge and the window title', async () => {
  const b = app.browser;
  const badge = await b.$('[data-testid="overdue-badge"]');
  await badge.waitForDisplayed({ timeout: 30000 });
  overdueAtStart = await badgeCount(b);
  assert.ok(overdueAtStart > 0);
  await until(b, async () => (await b.getTitle()).includes(`${overdueAtStart} overdue`), 'the window title lacks the count');
});

test('the badge opens the board filtered to overdue items, with follow-through', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="overdue-badge"]')).click();
  const board = await b.$('[data-testid="actions-board"]');
  await board.waitForDisplayed({ timeout: 10000 });
  await until(b, async () => (await b.$$('[data-testid="board-row"]')).length === overdueAtStart, 'the board does not list every overdue item');
  assert.match(await text(await b.$('[data-testid="board-count"]')), new RegExp(`${overdueAtStart} items overdue`));
  for (const row of await b.$$('[data-testid="board-row"]')) assert.equal(await row.getAttribute('data-overdue'), 'true');
  const ft = await b.$('[data-testid="follow-through"]');
  await ft.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(await b.$('[data-testid="completion-rate"]')), /^\d+\.\d%$/);
  await b.pause(500);
  screenshot('board');
});

test('marking an overdue item done on the board drops the overdue count', async () => {
  const b = app.browser;
  const first = (await b.$$('[data-testid="board-row"]'))[0];
  const id = await first.getAttribute('data-id');
  await (await first.$('[data-testid="board-select"]')).click();
  await (await b.$('[data-testid="bulk-done"]')).click();
  await until(b, async () => !(await b.$(`[data-testid="board-row"][data-id="${id}"]`).isExisting()), 'the done item is still listed as overdue');
  await until(b, async () => (await badgeCount(b)) === overdueAtStart - 1, 'the badge did not drop');
  await until(b, async () => (await b.$$('[data-testid="board-row"]')).length === overdueAtStart - 1, 'the board did not drop');
  await until(b, async () => (await b.getTitle()).includes(`${overdueAtStart - 1} overdue`), 'the window title did not drop');

  // The item is done, not gone: the board shows it under "Done".
  await (await b.$('[data-testid="board-overdue"]')).click();
  await (await b.$('[data-testid="board-status"]')).selectByAttribute('value', 'done');
  const done = await b.$(`[data-testid="board-row"][data-id="${id}"]`);
  await done.waitForExist({ timeout: 10000 });
  assert.equal(await (await done.$('[data-testid="board-row-status"]')).getValue(), 'done');
});
