// Action items in the real window: the overdue count at start-up (notice, badge and window
// title), the board with follow-through, an overdue item marked done on the board and the
// count dropping everywhere, quick edits refused and saved beside the field, a saved tracker
// link opened in the system browser, a bulk won't-do
// with its reason, grouping, and items written on a postmortem's page with the core's nudges.
//
// The sample library is made by the CLI against today, so nothing here names a date or a number
// of days: expectations come from the CLI (which decides "today" as the app's core does, not as
// the window's local clock does) or from the window itself before the change. Each test opens
// the board or the postmortem it needs; the start-up test starts the app afresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertEither, centre, cli, cliJson, home, openPostmortem, settled, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-actions-'));
// A stand-in for the system's xdg-open, first on the app's PATH: it writes down the links the
// app hands to the browser.
const fakeBin = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-bin-'));
const opened = path.join(fakeBin, 'opened.txt');
let app = null;

before(() => {
  // The sample library, loaded by the CLI before the app starts: overdue items exist at launch.
  cli(libraryDir, ['demo']);
  writeFileSync(path.join(fakeBin, 'xdg-open'), `#!/bin/sh\necho "$1" >> '${opened}'\n`, { mode: 0o755 });
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
  rmSync(fakeBin, { recursive: true, force: true });
});

/** The app, started on first use; `fresh` starts it again (as at launch) if it is running. */
async function session({ fresh = false } = {}) {
  if (fresh && app) {
    await app.stop();
    app = null;
  }
  app ??= await startApp(libraryDir, { PATH: `${fakeBin}:${process.env.PATH}` });
  return app.browser;
}

// textContent: WebKitWebDriver's rendered-text atom reads some flex labels as empty.
const text = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
const num = (s) => Number(s.match(/\d[\d,]*/)[0].replaceAll(',', ''));
const badgeCount = async (b) => num(await text(await b.$('[data-testid="overdue-badge"]')));
const rows = (b) => b.$$('[data-testid="board-row"]');
const rowCount = async (b) => (await rows(b)).length;
const boardCountText = async (b) => text(await b.$('[data-testid="board-count"]'));
const boardTotal = async (b) => num(await boardCountText(b));
const metricsOverdue = async (b) => num(await text(await b.$('[data-testid="metrics-overdue"]')));
const pending = (status) => status === 'open' || status === 'in_progress';

/** The core's day and its overdue items as of that day, as the CLI reports them. */
function core() {
  const { today, overdue } = cliJson(libraryDir, ['actions', '--metrics']);
  const items = cliJson(libraryDir, ['actions', '--overdue', '--today', today]);
  return { today, overdue, items };
}

/** "3 days late", as the board says it of an item due on `due` when the core's day is `today`. */
function lateLabel(due, today) {
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000);
  return days === 1 ? '1 day late' : `${days} days late`;
}

/** The board as the nav button opens it, with no filter set. */
async function board(b) {
  await home(b); // the board keeps its filters while it is shown: leave it first
  await (await b.$('[data-testid="nav-actions"]')).click();
  await (await b.$('[data-testid="actions-board"]')).waitForDisplayed({ timeout: 10000 });
  await until(b, async () => /^\d+ items?$/.test(await boardCountText(b)) && (await rowCount(b)) > 0, 'the board did not load');
}

/** The board the overdue badge opens, once its rows and follow-through have loaded. */
async function overdueBoard(b) {
  await home(b);
  const n = await badgeCount(b);
  await (await b.$('[data-testid="overdue-badge"]')).click();
  await (await b.$('[data-testid="actions-board"]')).waitForDisplayed({ timeout: 10000 });
  // Follow-through loaded: the board now counts days from the core's day, not the window's.
  await (await b.$('[data-testid="follow-through"]')).waitForDisplayed({ timeout: 10000 });
  await until(b, async () => (await rowCount(b)) === n, `the board does not list the ${n} overdue items the badge counts`);
  return n;
}

const savedItem = (id) => cliJson(libraryDir, ['actions']).find((r) => r.item.id === id)?.item;

test('overdue items are counted at start-up: a notice, the badge and the window title', async () => {
  const b = await session({ fresh: true });
  const badge = await b.$('[data-testid="overdue-badge"]');
  const first = core().overdue;
  await badge.waitForDisplayed({ timeout: 30000 });
  const n = await badgeCount(b);
  assertEither(n, [first, core().overdue], 'the badge does not count what the core counts');
  assert.ok(n > 1, 'the sample library has overdue items');
  const notice = await b.$('[data-testid="overdue-notice"]');
  await notice.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(notice), new RegExp(`^${n} action items are overdue`));
  await until(b, async () => (await b.getTitle()).includes(`${n} overdue`), 'the window title lacks the count');
  await settled(b);
  screenshot('actions-startup');
});

test('the badge opens the board filtered to overdue items, with follow-through', async () => {
  const b = await session();
  const before = core();
  const n = await overdueBoard(b);
  assert.equal(await (await b.$('[data-testid="overdue-notice"]')).isExisting(), false, 'the start-up notice stays on the board');
  assert.equal(await boardCountText(b), `${n} item${n === 1 ? '' : 's'} overdue`);
  // Each row is the core's overdue item, as many days late as the core's day makes it.
  const seen = {};
  for (const row of await rows(b)) {
    assert.equal(await row.getAttribute('data-overdue'), 'true');
    seen[await row.getAttribute('data-id')] = await text(await row.$('[data-testid="board-row-due"]'));
  }
  assert.match(await text(await b.$('[data-testid="completion-rate"]')), /^\d+\.\d%$/);
  const metrics = await metricsOverdue(b);
  const after = core();
  const expected = (c) => Object.fromEntries(c.items.map((r) => [r.item.id, lateLabel(r.item.due_date, c.today)]));
  assertEither(seen, [expected(before), expected(after)], 'the board does not show the overdue items the core reports');
  assertEither(metrics, [before.overdue, after.overdue], 'follow-through does not count the overdue items');
  await settled(b);
  screenshot('board');
});

test('marking an overdue item done on the board drops the overdue count', async () => {
  const b = await session();
  const n = await overdueBoard(b);
  assert.equal(await metricsOverdue(b), n);
  const first = (await rows(b))[0];
  const id = await first.getAttribute('data-id');
  const select = await first.$('[data-testid="board-select"]');
  await centre(b, select);
  await select.click();
  await (await b.$('[data-testid="bulk-bar"]')).waitForDisplayed();
  await (await b.$('[data-testid="bulk-done"]')).click();
  await until(b, async () => !(await b.$(`[data-testid="board-row"][data-id="${id}"]`).isExisting()), 'the done item is still listed as overdue');
  await until(b, async () => (await badgeCount(b)) === n - 1, 'the badge did not drop');
  await until(b, async () => (await rowCount(b)) === n - 1, 'the board did not drop');
  await until(b, async () => (await boardTotal(b)) === n - 1, "the board's count did not drop");
  await until(b, async () => (await metricsOverdue(b)) === n - 1, 'follow-through did not drop');
  await until(b, async () => (await b.getTitle()).includes(`${n - 1} overdue`), 'the window title did not drop');
  assert.equal(savedItem(id).status, 'done');

  // The item is done, not gone: the board shows it under "Done".
  await (await b.$('[data-testid="board-overdue"]')).click();
  await (await b.$('[data-testid="board-status"]')).selectByAttribute('value', 'done');
  const done = await b.$(`[data-testid="board-row"][data-id="${id}"]`);
  await done.waitForExist({ timeout: 10000 });
  assert.equal(await (await done.$('[data-testid="board-row-status"]')).getValue(), 'done');
});

test('a quick edit the core refuses is explained beside the field; a good one is saved', async () => {
  const b = await session();
  await board(b);
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
  const show = await row.$('[data-testid="board-row-tracker-show"]');
  await centre(b, show);
  await show.click();
  const tracker = await row.$('[data-testid="board-row-tracker"]');
  await tracker.waitForDisplayed();
  await tracker.addValue('tracker/OPS-1234');
  await tracker.addValue('\uE004');
  const note = await row.$('[data-testid="board-row-note"]');
  await until(b, async () => (await note.isExisting()) && /is not a web address/.test(await text(note)), 'the refusal is not shown beside the tracker link');
  assert.equal(await tracker.getAttribute('aria-invalid'), 'true');
  assert.equal(await tracker.getValue(), 'tracker/OPS-1234', 'what was typed is gone');
  assert.equal(savedItem(id).tracker_url, null, 'the refused link was stored');
  await settled(b);
  screenshot('board-refused');

  // Fixed in place: what was typed is selected (as a triple click would) and typed over.
  await b.execute((el) => (el.focus(), el.select()), tracker);
  await tracker.addValue('https://tracker.example/OPS-1234');
  await tracker.addValue('\uE004');
  await until(b, async () => (await text(await row.$('[data-testid="board-row-note"]'))) === 'Saved', 'the corrected link was not saved');
  const link = await row.$('[data-testid="board-row-tracker-open"]');
  assert.equal(await text(link), 'OPS-1234');
  assert.equal(savedItem(id).tracker_url, 'https://tracker.example/OPS-1234');

  // The ticket opens in the system browser (here, the stand-in records the link).
  await centre(b, link);
  await link.click();
  await until(b, async () => existsSync(opened) && readFileSync(opened, 'utf8').includes('https://tracker.example/OPS-1234'),
    'the tracker link was not handed to the system browser');
});

test("won't do asks for a reason, then closes every selected item", async () => {
  const b = await session();
  await board(b);
  const before = await boardTotal(b);
  const [r1, r2] = await rows(b);
  const ids = [await r1.getAttribute('data-id'), await r2.getAttribute('data-id')];
  for (const r of [r1, r2]) {
    const select = await r.$('[data-testid="board-select"]');
    await centre(b, select);
    await select.click();
  }
  await until(b, async () => /^2 selected/.test(await text(await b.$('[data-testid="bulk-bar"]'))), 'the two items are not selected');
  await (await b.$('[data-testid="bulk-wont-do"]')).click();
  const confirm = await b.$('[data-testid="wont-do-confirm"]');
  await confirm.waitForDisplayed();
  assert.equal(await confirm.isEnabled(), false, "won't do without a reason is allowed");
  await (await b.$('[data-testid="wont-do-reason"]')).addValue('Superseded by the queue migration');
  await until(b, async () => confirm.isEnabled(), 'the reason did not enable the button');
  await confirm.click();
  await until(b, async () => (await boardTotal(b)) === before - 2, 'the two items are still open');
  for (const id of ids) {
    const item = savedItem(id);
    assert.deepEqual([item.status, item.wont_do_reason], ['wont_do', 'Superseded by the queue migration']);
  }
});

test('grouping by owner counts each group', async () => {
  const b = await session();
  await board(b);
  // The board lists open and in-progress items; the CLI says whose they are.
  const expected = {};
  for (const r of cliJson(libraryDir, ['actions']).filter((r) => pending(r.item.status))) {
    const owner = r.item.owner ?? 'No owner';
    expected[owner] = (expected[owner] ?? 0) + 1;
  }
  const total = Object.values(expected).reduce((a, n) => a + n, 0);
  await until(b, async () => (await boardTotal(b)) === total && (await rowCount(b)) === total, 'the board does not list every open item');
  await (await b.$('[data-testid="board-group"]')).selectByAttribute('value', 'owner');
  await until(b, async () => (await b.$$('[data-testid="board-group-section"]')).length === Object.keys(expected).length,
    'there is not a group per owner');
  const seen = {};
  for (const section of await b.$$('[data-testid="board-group-section"]')) {
    const count = num(await text(await section.$('[data-testid="board-group-count"]')));
    assert.equal(count, (await section.$$('[data-testid="board-row"]')).length);
    seen[await text(await section.$('.g-label'))] = count;
  }
  assert.deepEqual(seen, expected);
  await settled(b);
  screenshot('board-grouped');
});

test("items written on a postmortem's page get the core's nudges and reach the board", async () => {
  const b = await session();
  // A postmortem with open items of its own, so the board has others' items to leave out.
  const pm = cliJson(libraryDir, ['list']).find((r) => r.action_items_open >= 2);
  await openPostmortem(b, pm.id);
  const panel = await b.$('[data-testid="actions-panel"]');
  await panel.waitForExist({ timeout: 10000 });
  const before = (await b.$$('[data-testid="action-item"]')).length;
  const add = await b.$('[data-testid="action-add"]');
  await centre(b, add);
  await add.click();
  await until(b, async () => (await b.$$('[data-testid="action-item"]')).length === before + 1, 'no item was added');
  const item = (await b.$$('[data-testid="action-item"]'))[before];
  const nudge = (field) => item.$(`[data-testid="action-nudge"][data-field="action_items[${before}].${field}"]`);
  await until(b, async () => (await nudge('owner')).isExisting(), 'a new item without an owner is not nudged');
  assert.match(await text(await nudge('owner')), /^This item has no owner/);
  assert.ok(await (await nudge('due_date')).isExisting(), 'a new item without a due date is not nudged');

  // The title has the focus after "Add"; a "be more careful" fix is not systemic.
  const title = await item.$('[data-testid="action-title"]');
  await until(b, () => b.execute((t) => document.activeElement === t, title), 'the new title does not have the focus');
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
  const stored = cliJson(libraryDir, ['show', pm.id]).postmortem.action_items[before];
  assert.deepEqual([stored?.title, stored?.owner], ['Validate pool settings against a schema in CI', 'Aisha Bello']);
  await centre(b, item);
  await settled(b);
  screenshot('postmortem-actions');

  // "See on the board" opens the board narrowed to this postmortem's items, the new one among them.
  const seeBoard = await b.$('[data-testid="action-see-board"]');
  await centre(b, seeBoard);
  await seeBoard.click();
  await (await b.$('[data-testid="actions-board"]')).waitForDisplayed({ timeout: 10000 });
  const chip = await b.$('[data-testid="board-postmortem-filter"]');
  await chip.waitForDisplayed({ timeout: 10000 });
  assert.ok((await text(chip)).startsWith(`Postmortem: ${pm.title}`), `the chip does not name the postmortem: ${await text(chip)}`);
  const listed = cliJson(libraryDir, ['actions']).filter((r) => r.postmortem_id === pm.id && pending(r.item.status)).map((r) => r.item.id).sort();
  assert.ok(listed.includes(stored.id));
  const shownIds = async () => {
    const out = [];
    for (const r of await rows(b)) out.push(await r.getAttribute('data-id'));
    return out.sort();
  };
  await until(b, async () => JSON.stringify(await shownIds()) === JSON.stringify(listed),
    "the board does not show this postmortem's open items, the new one among them");

  // And the board's owner filter finds it under its owner.
  await (await b.$('[data-testid="board-owner"]')).addValue('Aisha Bello');
  const mine = cliJson(libraryDir, ['actions', '--owner', 'Aisha Bello'])
    .filter((r) => r.postmortem_id === pm.id && pending(r.item.status)).map((r) => r.item.id).sort();
  assert.ok(mine.includes(stored.id));
  await until(b, async () => JSON.stringify(await shownIds()) === JSON.stringify(mine), 'the new item is not under its owner');
});
