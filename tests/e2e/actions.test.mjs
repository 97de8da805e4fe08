// Action items in the real window: the overdue count at start-up (notice, badge and window
// title), the board with follow-through, an overdue item marked done on the board and the
// count dropping everywhere, quick edits refused and saved beside the field, a saved tracker
// link opened in the system browser, a bulk won't-do
// with its reason, grouping, and items written on a postmortem's page with the core's nudges.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-actions-'));
// A stand-in for the system's xdg-open, first on the app's PATH: it writes down the links the
// app hands to the browser.
const fakeBin = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-bin-'));
const opened = path.join(fakeBin, 'opened.txt');
let app;

before(async () => {
  // The sample library, loaded by the CLI before the app starts: overdue items exist at launch.
  execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'demo']);
  writeFileSync(path.join(fakeBin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${opened}'\n`, { mode: 0o755 });
  app = await startApp(libraryDir, { PATH: `${fakeBin}:${process.env.PATH}` });
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

// textContent: WebKitWebDriver's rendered-text atom reads some flex labels as empty.
const text = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
const num = (s) => Number(s.match(/\d+/)[0]);
const badgeCount = async (b) => num(await text(await b.$('[data-testid="overdue-badge"]')));
const rows = (b) => b.$$('[data-testid="board-row"]');
const rowCount = async (b) => (await rows(b)).length;
const boardTotal = async (b) => num(await text(await b.$('[data-testid="board-count"]')));
const metricsOverdue = async (b) => num(await text(await b.$('[data-testid="metrics-overdue"]')));
/** Back to the top of the page: WebDriver scrolls a clicked element only just into view, where the sticky top bar covers it. */
const toTop = (b) => b.execute(() => window.scrollTo(0, 0));

let overdueAtStart;

test('overdue items are counted at start-up: a notice, the badge and the window title', async () => {
  const b = app.browser;
  const badge = await b.$('[data-testid="overdue-badge"]');
  await badge.waitForDisplayed({ timeout: 30000 });
  overdueAtStart = await badgeCount(b);
  assert.ok(overdueAtStart > 0);
  const notice = await b.$('[data-testid="overdue-notice"]');
  await notice.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(notice), new RegExp(`^${overdueAtStart} action items are overdue`));
  await until(b, async () => (await b.getTitle()).includes(`${overdueAtStart} overdue`), 'the window title lacks the count');
  await b.pause(800);
  screenshot('actions-startup');
});

test('the badge opens the board filtered to overdue items, with follow-through', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="overdue-badge"]')).click();
  const board = await b.$('[data-testid="actions-board"]');
  await board.waitForDisplayed({ timeout: 10000 });
  assert.equal(await (await b.$('[data-testid="overdue-notice"]')).isExisting(), false, 'the start-up notice stays on the board');
  await until(b, async () => (await rowCount(b)) === overdueAtStart, 'the board does not list every overdue item');
  assert.match(await text(await b.$('[data-testid="board-count"]')), new RegExp(`^${overdueAtStart} items overdue`));
  for (const row of await rows(b)) {
    assert.equal(await row.getAttribute('data-overdue'), 'true');
    assert.match(await text(await row.$('[data-testid="board-row-due"]')), /^\d+ days? late$/);
  }
  const ft = await b.$('[data-testid="follow-through"]');
  await ft.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(await b.$('[data-testid="completion-rate"]')), /^\d+\.\d%$/);
  assert.equal(await metricsOverdue(b), overdueAtStart);
  await b.pause(500);
  screenshot('board');
});

test('marking an overdue item done on the board drops the overdue count', async () => {
  const b = app.browser;
  const first = (await rows(b))[0];
  const id = await first.getAttribute('data-id');
  await (await first.$('[data-testid="board-select"]')).click();
  await (await b.$('[data-testid="bulk-bar"]')).waitForDisplayed();
  await (await b.$('[data-testid="bulk-done"]')).click();
  await until(b, async () => !(await b.$(`[data-testid="board-row"][data-id="${id}"]`).isExisting()), 'the done item is still listed as overdue');
  await until(b, async () => (await badgeCount(b)) === overdueAtStart - 1, 'the badge did not drop');
  await until(b, async () => (await rowCount(b)) === overdueAtStart - 1, 'the board did not drop');
  await until(b, async () => (await boardTotal(b)) === overdueAtStart - 1, "the board's count did not drop");
  await until(b, async () => (await metricsOverdue(b)) === overdueAtStart - 1, 'follow-through did not drop');
  await until(b, async () => (await b.getTitle()).includes(`${overdueAtStart - 1} overdue`), 'the window title did not drop');

  // The item is done, not gone: the board shows it under "Done".
  await (await b.$('[data-testid="board-overdue"]')).click();
  await (await b.$('[data-testid="board-status"]')).selectByAttribute('value', 'done');
  const done = await b.$(`[data-testid="board-row"][data-id="${id}"]`);
  await done.waitForExist({ timeout: 10000 });
  assert.equal(await (await done.$('[data-testid="board-row-status"]')).getValue(), 'done');
});

test('a quick edit the core refuses is explained beside the field; a good one is saved', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="board-reset"]')).click();
  await until(b, async () => (await rowCount(b)) > 0 && (await text(await b.$('[data-testid="board-count"]'))).includes('items'), 'the board did not reset');
  // An item without a tracker link: its cell offers to add one, and gives an input when clicked.
  let row;
  for (const r of await rows(b)) {
    if ((await text(await r.$('[data-testid="board-row-tracker-show"]'))) === 'Add link') {
      row = r;
      break;
    }
  }
  assert.ok(row, 'every item has a tracker link');
  const id = await row.getAttribute('data-id');
  await (await row.$('[data-testid="board-row-tracker-show"]')).click();
  const tracker = await row.$('[data-testid="board-row-tracker"]');
  await tracker.waitForDisplayed();
  await tracker.addValue('tracker/OPS-1234');
  await tracker.addValue('\uE004');
  const note = await row.$('[data-testid="board-row-note"]');
  await until(b, async () => (await note.isExisting()) && /is not a web address/.test(await text(note)), 'the refusal is not shown beside the tracker link');
  assert.equal(await tracker.getAttribute('aria-invalid'), 'true');
  assert.equal(await tracker.getValue(), 'tracker/OPS-1234', 'what was typed is gone');
  await b.pause(300);
  screenshot('board-refused');

  // Fixed in place: what was typed is selected (as a triple click would) and typed over.
  await b.execute((el) => (el.focus(), el.select()), tracker);
  await tracker.addValue('https://tracker.example/OPS-1234');
  await tracker.addValue('\uE004');
  await until(b, async () => (await text(await row.$('[data-testid="board-row-note"]'))) === 'Saved', 'the corrected link was not saved');
  const link = await row.$('[data-testid="board-row-tracker-open"]');
  assert.equal(await text(link), 'OPS-1234');
  const saved = JSON.parse(execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'actions', '--json']).toString());
  assert.equal(saved.find((r) => r.item.id === id).item.tracker_url, 'https://tracker.example/OPS-1234');

  // The ticket opens in the system browser (here, the stand-in records the link).
  await link.click();
  await until(b, async () => existsSync(opened) && readFileSync(opened, 'utf8').includes('https://tracker.example/OPS-1234'),
    'the tracker link was not handed to the system browser');
});

test("won't do asks for a reason, then closes every selected item", async () => {
  const b = app.browser;
  await toTop(b);
  const before = await boardTotal(b);
  const [r1, r2] = await rows(b);
  await (await r1.$('[data-testid="board-select"]')).click();
  await (await r2.$('[data-testid="board-select"]')).click();
  await (await b.$('[data-testid="bulk-wont-do"]')).click();
  const confirm = await b.$('[data-testid="wont-do-confirm"]');
  await confirm.waitForDisplayed();
  assert.equal(await confirm.isEnabled(), false, "won't do without a reason is allowed");
  await (await b.$('[data-testid="wont-do-reason"]')).addValue('Superseded by the queue migration');
  await until(b, async () => confirm.isEnabled(), 'the reason did not enable the button');
  await confirm.click();
  await until(b, async () => (await boardTotal(b)) === before - 2, 'the two items are still open');
});

test('grouping by owner counts each group', async () => {
  const b = app.browser;
  await toTop(b);
  await (await b.$('[data-testid="board-group"]')).selectByAttribute('value', 'owner');
  await until(b, async () => (await b.$$('[data-testid="board-group-section"]')).length > 1, 'no groups');
  let sum = 0;
  for (const section of await b.$$('[data-testid="board-group-section"]')) {
    const count = num(await text(await section.$('[data-testid="board-group-count"]')));
    assert.equal(count, (await section.$$('[data-testid="board-row"]')).length);
    sum += count;
  }
  assert.equal(sum, await rowCount(b));
  await b.pause(300);
  screenshot('board-grouped');
  await (await b.$('[data-testid="board-group"]')).selectByAttribute('value', 'none');
});

test("items written on a postmortem's page get the core's nudges and reach the board", async () => {
  const b = app.browser;
  await (await (await rows(b))[0].$('[data-testid="board-open-postmortem"]')).click();
  const panel = await b.$('[data-testid="actions-panel"]');
  await panel.waitForExist({ timeout: 10000 });
  const before = (await b.$$('[data-testid="action-item"]')).length;
  await (await b.$('[data-testid="action-add"]')).scrollIntoView({ block: 'center' });
  await (await b.$('[data-testid="action-add"]')).click();
  await until(b, async () => (await b.$$('[data-testid="action-item"]')).length === before + 1, 'no item was added');
  const item = (await b.$$('[data-testid="action-item"]'))[before];
  const nudge = (field) => item.$(`[data-testid="action-nudge"][data-field="action_items[${before}].${field}"]`);
  await until(b, async () => (await nudge('owner')).isExisting(), 'a new item without an owner is not nudged');
  assert.match(await text(await nudge('owner')), /^This item has no owner/);
  assert.ok(await (await nudge('due_date')).isExisting(), 'a new item without a due date is not nudged');

  // The title has the focus after "Add"; a "be more careful" fix is not systemic.
  const title = await item.$('[data-testid="action-title"]');
  await title.addValue('Be more careful when editing pool settings');
  await until(b, async () => (await nudge('title')).isExisting(), 'a non-systemic fix is not nudged');
  await b.execute((el) => {
    el.value = 'Validate pool settings against a schema in CI';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, title);
  await until(b, async () => !(await (await nudge('title')).isExisting()), 'the systemic fix is still nudged');

  await (await item.$('[data-testid="action-owner"]')).addValue('Aisha Bello');
  await until(b, async () => !(await (await nudge('owner')).isExisting()), 'the owner nudge stayed after naming one person');
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'the item was not saved', 20000);
  await item.scrollIntoView({ block: 'center' });
  await b.pause(400);
  screenshot('postmortem-actions');

  // "See on the board" opens the board narrowed to this postmortem's items, the new one among them.
  const pmTitle = await (await b.$('[data-testid="pm-title"]')).getValue();
  const seeBoard = await b.$('[data-testid="action-see-board"]');
  await b.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), seeBoard);
  await b.pause(200);
  await seeBoard.click();
  await (await b.$('[data-testid="actions-board"]')).waitForDisplayed({ timeout: 10000 });
  const chip = await b.$('[data-testid="board-postmortem-filter"]');
  await chip.waitForDisplayed({ timeout: 10000 });
  assert.ok((await text(chip)).startsWith(`Postmortem: ${pmTitle}`), `the chip does not name the postmortem: ${await text(chip)}`);
  await until(b, async () => {
    for (const r of await rows(b)) if ((await text(r)).includes('Validate pool settings against a schema in CI')) return true;
    return false;
  }, 'the new item is not on the board');
  const listed = JSON.parse(execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'actions', '--json']).toString())
    .filter((r) => r.postmortem_title === pmTitle && (r.item.status === 'open' || r.item.status === 'in_progress'));
  assert.equal(await rowCount(b), listed.length, "the board shows other postmortems' items too");

  // And the board's owner filter finds it under its owner.
  await (await b.$('[data-testid="board-owner"]')).addValue('Aisha Bello');
  await until(b, async () => {
    for (const r of await rows(b)) if ((await text(r)).includes('Validate pool settings against a schema in CI')) return true;
    return false;
  }, 'the new item is not under its owner');
});
