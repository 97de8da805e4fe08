// A window left open over midnight, in the real app: the app and the CLI run on a clock moved
// forward (libfaketime, by an offset, so every process of the app and WebKit agrees and time
// still flows at its real rate) to a few seconds before the user's midnight. Insights, left on a
// preset period, must move that period to the new day by itself and reload its figures, the CLI
// must agree on the new day, and an action item due on the old day must become overdue in the
// badge and the window title without anyone touching it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, cliJson, daysEnding, home, settled, screenshot, startApp, text, until } from './harness.mjs';

/** libfaketime's preload library, wherever Debian put it for this machine's architecture. */
function fakeTimeLibrary() {
  for (const dir of readdirSync('/usr/lib')) {
    const lib = path.join('/usr/lib', dir, 'faketime', 'libfaketime.so.1');
    if (existsSync(lib)) return lib;
  }
  throw new Error('libfaketime is not installed: run scripts/setup-system.sh (package faketime)');
}

/** Seconds to add to the real clock so that it reads `before` seconds ahead of the next local midnight. */
function offsetToMidnight(before) {
  const now = new Date();
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return Math.floor((midnight.getTime() - now.getTime()) / 1000) - before;
}

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-midnight-'));
/**
 * The clock a test runs the app and the CLI on: 25 s before the next local midnight when it is
 * set, which leaves the app time to start and show the old day first on a slow machine.
 */
const clock = {};
const setClockBeforeMidnight = () => {
  const offset = offsetToMidnight(25); // negative in the last 25 s before a real midnight
  Object.assign(clock, { LD_PRELOAD: fakeTimeLibrary(), FAKETIME: offset < 0 ? String(offset) : `+${offset}` });
};
const cliOnClock = (args) => cliJson(libraryDir, args, clock);
const coreToday = () => cliOnClock(['actions', '--metrics']).today;

/** Waits until the CLI, on the same clock, counts a day other than `day`, and returns it. */
async function nextDay(day) {
  let now = day;
  for (const deadline = Date.now() + 60000; now === day && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 250));
    now = coreToday();
  }
  assert.notEqual(now, day, 'the moved clock passed midnight');
  return now;
}

let app;
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

test('a window left open over midnight moves Insights to the new day and counts what fell due', async () => {
  setClockBeforeMidnight();
  const dayBefore = coreToday();
  // An open item due on the last day: not overdue until midnight passes.
  const markdown = path.join(libraryDir, '..', `${path.basename(libraryDir)}-due.md`);
  writeFileSync(
    markdown,
    `# Cache stampede after a deploy\n\n**Date:** ${dayBefore}\n**Severity:** SEV3\n\n## Summary\n\nEvery cache entry expired at once after a deploy.\n\n` +
      `## Action items\n\n| Action | Owner | Due |\n|---|---|---|\n| Add jitter to cache expiry | Alice | ${dayBefore} |\n`,
  );
  cli(libraryDir, ['import', markdown], clock);
  rmSync(markdown);
  assert.equal(cliOnClock(['actions', '--metrics']).overdue, 0, 'nothing is overdue before midnight');
  app = await startApp(libraryDir, clock);
  const b = app.browser;
  await home(b);
  await (await b.$('[data-testid="nav-insights"]')).click();
  const shown = b.$('[data-testid="insights-period"]');
  await until(b, () => shown.isExisting(), 'Insights did not show its period');
  assert.equal(await shown.getAttribute('data-to'), dayBefore, 'the period ends on the day the core and the CLI count as today');
  assert.equal(await (await b.$('[data-testid="overdue-badge"]')).isExisting(), false, 'no overdue badge before midnight');
  await settled(b);
  // No click from here on. Once the CLI's day has turned, the window must follow within a few
  // seconds (it asks the core just after midnight), not at its next once-a-minute ask.
  const dayAfter = await nextDay(dayBefore);
  await until(b, async () => (await shown.getAttribute('data-to')) === dayAfter, 'the period did not move to the new day within 10 s of midnight', 10000);
  assert.equal(await shown.getAttribute('data-from'), daysEnding(dayAfter, 90).from, 'the 90 days ending the new day');
  // The item due yesterday is now overdue, in the badge and the window title.
  const badge = await b.$('[data-testid="overdue-badge"]');
  await until(b, () => badge.isExisting(), 'the overdue badge did not appear after midnight', 10000);
  assert.match(await text(badge), /\b1\b/);
  await until(b, async () => (await b.getTitle()).includes('1 overdue action item'), 'the window title does not count the item that fell due');
  screenshot('insights-after-midnight');
});

test('an action board left open over midnight shows the item that fell due as late', async () => {
  await app.stop();
  // The clock is moved again, to 25 s before the same midnight: the item is due today once more.
  setClockBeforeMidnight();
  const dayBefore = coreToday();
  const [item] = cliOnClock(['actions']);
  assert.equal(item.item.due_date, dayBefore, 'the item is due on the last day');
  app = await startApp(libraryDir, clock);
  const b = app.browser;
  await home(b);
  await (await b.$('[data-testid="nav-actions"]')).click();
  const row = b.$(`[data-testid="board-row"][data-id="${item.item.id}"]`);
  await until(b, () => row.isExisting(), 'the board did not list the item');
  assert.equal(await row.getAttribute('data-overdue'), 'false', 'not late before midnight');
  await settled(b);
  await nextDay(dayBefore);
  await until(b, async () => (await row.getAttribute('data-overdue')) === 'true', 'the row was not marked late within 10 s of midnight', 10000);
  await until(b, async () => (await text(await row.$('[data-testid="board-row-due"]'))) === '1 day late', 'the row does not say it is a day late');
  screenshot('board-after-midnight');
});
