// A desktop app's manners in the real window: the command palette reaches every action of the
// menu (and runs them: a screen, the theme, zoom), the keyboard-shortcut sheet lists the keys
// as this platform writes them, About shows Cargo.toml's version and the bundled licences,
// File → Open library… and Recent libraries switch libraries, a file opened with Debrief from
// the file manager goes to the importer, and the window's size comes back on the next start.
// The native menu bar is driven too, with real key presses on the X display (xdotool): its
// items chosen by keyboard, and its accelerators running each action once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerDialog, cli, cliJson, fakeOpener, finishedJob, root, screenshot, settled, startApp, startSessionBus, text, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-desktop-'));
const config = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-desktop-config-'));
let app = null;
let bus = null;
after(async () => {
  if (app) await app.stop();
  if (bus) bus.stop();
  rmSync(libraryDir, { recursive: true, force: true });
  rmSync(config, { recursive: true, force: true });
});

const table = JSON.parse(readFileSync(path.join(root, 'ui/src/lib/app-actions.json'), 'utf8'));
/** The window's zoom steps (ui/src/lib/zoom.ts): one press of Zoom in from actual size goes to the next. */
const zoomSteps = JSON.parse(readFileSync(path.join(root, 'ui/src/lib/zoom-steps.json'), 'utf8'));
const paletteIds = table.actions.filter((a) => a.menu && !a.role && !a.submenu).map((a) => a.id);
const version = readFileSync(path.join(root, 'Cargo.toml'), 'utf8').match(/\[workspace\.package\][^[]*?version = "([^"]+)"/)[1];

/** A screenshot once the page has come to rest and painted (the X display lags a little). */
async function shot(b, name) {
  await settled(b);
  await new Promise((r) => setTimeout(r, 400));
  screenshot(name);
}

let address = null;
async function shared() {
  if (!app) {
    cli(libraryDir, ['demo']);
    bus ??= await startSessionBus();
    address = bus.address;
    app = await startApp(libraryDir, { XDG_CONFIG_HOME: config, DBUS_SESSION_BUS_ADDRESS: address });
    await (await app.browser.$('[data-testid="list-count"]')).waitForExist({ timeout: 30000 });
  }
  return app.browser;
}

/** Opens the palette with its key, types `query`, and returns the ids it offers. */
async function palette(b, query) {
  await b.keys(['Control', 'Shift', 'p']);
  const input = await b.$('[data-testid="palette-input"]');
  await input.waitForDisplayed({ timeout: 10000 });
  if (query) await input.setValue(query);
  await until(b, async () => (await input.getValue()) === query, 'the query did not reach the palette');
  const ids = [];
  for (const item of await b.$$('[data-testid="palette-item"]')) ids.push(await item.getAttribute('data-action'));
  return { input, ids };
}

/** Runs the palette's first choice for `query`, which must be `id`. */
async function runFromPalette(b, query, id) {
  const { input, ids } = await palette(b, query);
  assert.equal(ids[0], id, `"${query}" offers ${ids.join(', ')}`);
  await input.addValue('\uE007'); // Enter
  await until(b, async () => !(await (await b.$('[data-testid="palette-input"]')).isExisting()), 'the palette did not close');
}

test('the palette offers every action of the menu, finds them by any words, and runs them', async () => {
  const b = await shared();
  const { input, ids } = await palette(b, '');
  assert.deepEqual(ids.filter((id) => id !== 'open-recent'), paletteIds);
  await input.setValue('zzz no such action');
  await (await b.$('[data-testid="palette-none"]')).waitForDisplayed();
  await input.addValue('\uE00C'); // Escape
  await until(b, async () => !(await input.isExisting()), 'Escape did not close the palette');

  await runFromPalette(b, 'go insights', 'go-insights');
  await (await b.$('[data-testid="insights"]')).waitForDisplayed({ timeout: 20000 });
  await runFromPalette(b, 'theme dark', 'theme-dark');
  await until(b, async () => (await b.execute(() => document.documentElement.dataset.theme)) === 'dark', 'the theme did not turn dark');
  await shot(b, 'desktop-dark-insights');
  await runFromPalette(b, 'theme light', 'theme-light');
  await until(b, async () => (await b.execute(() => document.documentElement.dataset.theme)) === 'light', 'the theme did not turn light');
  // A key of the menu works from the page too: Ctrl+1 is the library.
  await b.keys(['Control', '1']);
  await (await b.$('[data-testid="list-count"]')).waitForDisplayed({ timeout: 10000 });
});

test('zooming in makes the page larger and actual size brings it back', async () => {
  const b = await shared();
  const width = () => b.execute(() => window.innerWidth);
  const before = await width();
  await runFromPalette(b, 'zoom in', 'zoom-in');
  await until(b, async () => (await width()) < before - 50, 'zooming in did not enlarge the page');
  await runFromPalette(b, 'actual size', 'zoom-reset');
  await until(b, async () => Math.abs((await width()) - before) <= 2, 'actual size did not restore the page');
});

/** The processes of the app this test started (only its own process group is looked at: a
 * Debrief someone left open elsewhere on the machine is not this test's). */
function appPids() {
  try {
    return execFileSync('pgrep', ['-g', String(app.processGroup), '-f', 'target/debug/debrief-app']).toString().split(/\s+/).filter(Boolean);
  } catch {
    return []; // pgrep found none
  }
}

/** Presses keys on the X display as a person would (XTEST, through xdotool): GTK's menu bar and
 * its accelerators see them before the page does, which WebDriver's key presses (sent to the
 * page) never reach. The keyboard is given to this test's window first (found by its process:
 * without a window manager, nothing else decides which window has it). */
function pressOnDisplay(...keys) {
  const [pid] = appPids();
  if (!pid) throw new Error(`no window to press ${keys.join(' ')} in: the app this test started is not running`);
  const window = execFileSync('xdotool', ['search', '--onlyvisible', '--pid', pid]).toString().split(/\s+/)[0];
  execFileSync('xdotool', ['windowfocus', '--sync', window]);
  execFileSync('xdotool', ['key', '--delay', '120', ...keys]);
}

/** Chooses `id` from the native menu bar by keyboard, as its table lays it out on Linux: F10 opens
 * the first menu, Right moves along the bar, Down through the items (separators are skipped). */
function chooseFromMenuBar(id) {
  const action = table.actions.find((a) => a.id === id);
  const moves = table.menus.indexOf(action.menu);
  const downs = table.actions.filter((a) => a.menu === action.menu).indexOf(action) + 1;
  pressOnDisplay('F10', ...Array(moves).fill('Right'), ...Array(downs).fill('Down'), 'Return');
}

test('the native menu bar runs its items, and its keys pressed on the keyboard run them once', async () => {
  const b = await shared();
  const theme = () => b.execute(() => document.documentElement.dataset.theme);
  chooseFromMenuBar('go-insights');
  await (await b.$('[data-testid="insights"]')).waitForDisplayed({ timeout: 20000 });
  chooseFromMenuBar('theme-dark');
  await until(b, async () => (await theme()) === 'dark', 'View → Theme: dark did not turn the theme dark');
  chooseFromMenuBar('theme-light');
  await until(b, async () => (await theme()) === 'light', 'View → Theme: light did not turn the theme light');
  chooseFromMenuBar('shortcuts');
  const sheet = await b.$('[data-testid="shortcut-sheet"]');
  await sheet.waitForDisplayed({ timeout: 10000 });
  await shot(b, 'desktop-menu-shortcuts');
  pressOnDisplay('Escape');
  await until(b, async () => !(await sheet.isExisting()), 'Escape did not close the sheet');

  // The menu's keys, pressed for real: each runs its action once, whichever of the menu bar and
  // the page takes the key (the page runs them too, for WebDriver and a window without a menu).
  pressOnDisplay('ctrl+2');
  await (await b.$('[data-testid="actions-board"]')).waitForDisplayed({ timeout: 20000 });
  pressOnDisplay('ctrl+1');
  await (await b.$('[data-testid="list-count"]')).waitForDisplayed({ timeout: 10000 });
  const width = () => b.execute(() => window.innerWidth);
  const before = await width();
  pressOnDisplay('ctrl+equal');
  await until(b, async () => (await width()) < before - 50, 'Ctrl+= did not zoom in');
  await new Promise((r) => setTimeout(r, 600)); // a second run would land by now
  const zoomed = await width();
  const step = zoomSteps[zoomSteps.indexOf(1) + 1];
  assert.ok(Math.abs(zoomed - before / step) <= 3, `one press zoomed ${before} to ${zoomed}, not one step (${step})`);
  pressOnDisplay('ctrl+0');
  await until(b, async () => Math.abs((await width()) - before) <= 2, 'Ctrl+0 did not restore the page');
});

test('Help → Open the data folder hands the library folder to the file manager', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-datafolder-'));
  const opener = fakeOpener(dir);
  cli(libraryDir, ['demo']); // idempotent: the library may not be filled yet
  const own = await startApp(libraryDir, opener.env);
  try {
    await (await own.browser.$('[data-testid="list-count"]')).waitForExist({ timeout: 30000 });
    await runFromPalette(own.browser, 'open the data folder', 'open-data-folder');
    await until(own.browser, async () => opener.opened().trim() === libraryDir, `the opener got "${opener.opened()}"`);
  } finally {
    await own.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shortcut sheet lists every key as this platform writes them', async () => {
  const b = await shared();
  await b.keys(['Control', '/']);
  const sheet = await b.$('[data-testid="shortcut-sheet"]');
  await sheet.waitForDisplayed({ timeout: 10000 });
  const rows = await sheet.$$('[data-testid="shortcut-row"]');
  assert.equal(rows.length, table.actions.filter((a) => a.keys).length);
  const paletteRow = await sheet.$('[data-action="palette"]');
  assert.match(await text(paletteRow), /Command palette.*Ctrl\+Shift\+P/);
  assert.match(await text(await sheet.$('[data-action="meeting-next"]')), /Next step.*→/);
  await shot(b, 'desktop-shortcuts');
  await b.keys(['Escape']);
  await until(b, async () => !(await sheet.isExisting()), 'the sheet did not close');
});

test('About shows the version from Cargo.toml and the licences of what is bundled', async () => {
  const b = await shared();
  await runFromPalette(b, 'about', 'about');
  const shown = await b.$('[data-testid="about-version"]');
  await shown.waitForDisplayed({ timeout: 10000 });
  assert.equal(await text(shown), version);
  assert.equal(cli(libraryDir, ['--version']).trim(), `debrief ${version}`);
  const counts = await text(await b.$('[data-testid="about-counts"]'));
  assert.ok(Number(counts.match(/(\d+) Rust crates/)[1]) > 100, counts);
  assert.match(counts, /[1-9]\d* fonts/);
  const tantivy = await b.$('[data-testid="about-package"][data-name="tantivy"]');
  assert.match(await text(tantivy), /tantivy.*MIT/);
  // A crate that ships no licence file shows the standard text of its licence.
  const common = await b.$('[data-testid="about-package"][data-name="tantivy-common"]');
  await common.scrollIntoView();
  await (await common.$('summary')).click();
  await until(b, async () => /Permission is hereby granted/.test(await text(common)), 'tantivy-common shows no MIT text');
  assert.match(await text(await common.$('[data-testid="about-standard-note"]')), /ships no licence file of its own\. Its licence is MIT; the standard text follows/);
  await shot(b, 'desktop-about');
  await b.keys(['Escape']);
});

test('Open library… opens another folder, and Recent libraries brings the first back', async () => {
  const b = await shared();
  const other = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-other-'));
  try {
    const firstCount = cliJson(libraryDir, ['list']).length;
    await answerDialog(b, other);
    await runFromPalette(b, 'open library', 'open-library');
    // An empty folder is a new, empty library: the first-run screen offers the sample.
    await (await b.$('[data-testid="load-sample"]')).waitForDisplayed({ timeout: 20000 });
    assert.ok(cliJson(other, ['list']).length === 0);
    const { input, ids } = await palette(b, 'recent');
    assert.ok(ids.includes('open-recent'), `the palette offers the recent libraries: ${ids}`);
    const items = await b.$$('[data-testid="palette-item"][data-action="open-recent"]');
    let chosen = null;
    for (const item of items) if ((await text(item)).includes(libraryDir)) chosen = item;
    assert.ok(chosen, 'the first library is among the recent ones');
    await chosen.click();
    const count = await b.$('[data-testid="list-count"]');
    await until(b, async () => (await count.isExisting()) && (await text(count)) === `${firstCount} postmortems`, 'the first library did not come back', 20000);
    await input.isExisting(); // the palette closed on choosing
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

test('a Markdown file opened with Debrief from the file manager goes to the importer', async () => {
  const b = await shared();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-opened-'));
  const file = path.join(dir, 'queue-backlog.md');
  writeFileSync(file, '# Queue backlog delayed e-mails\n\n## Summary\n\nThe mail queue backed up for 40 minutes on 2025-10-02.\n\n## Action items\n\n- Alert on queue age (owner: Sam)\n');
  try {
    const before = cliJson(libraryDir, ['list']).length;
    // "Open with Debrief" while it runs: a second start with the file, handed to the first.
    const second = spawn(path.join(root, 'target/debug/debrief-app'), [file], {
      env: { ...process.env, DEBRIEF_LIBRARY: libraryDir, XDG_CONFIG_HOME: config, DBUS_SESSION_BUS_ADDRESS: address },
      stdio: 'ignore',
    });
    await new Promise((resolve) => second.on('exit', resolve));
    const listed = await b.$('[data-testid="opened-files"]');
    await listed.waitForDisplayed({ timeout: 20000 });
    assert.match(await text(listed), /queue-backlog\.md/);
    await shot(b, 'desktop-opened-file');
    await (await b.$('[data-testid="opened-import"]')).click();
    await finishedJob(b, 'queue-backlog.md');
    const titles = cliJson(libraryDir, ['list']).map((p) => p.title);
    assert.equal(titles.length, before + 1);
    assert.ok(titles.includes('Queue backlog delayed e-mails'), titles.join(' | '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Whether the app this test started still runs. */
const appRunning = () => appPids().length > 0;

test('Quit ends the app, and the window comes back at the size it had', async () => {
  const b = await shared();
  await b.setWindowRect(40, 30, 1100, 700);
  await until(b, async () => (await b.getWindowRect()).width === 1100, 'the window did not resize');
  await settled(b);
  // The window goes while WebDriver still finishes the key press: that call may fail.
  await b.keys(['Control', 'q']).catch(() => {});
  const deadline = Date.now() + 15000;
  while (appRunning() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(!appRunning(), 'Quit did not end the app');
  await app.stop();
  app = null;
  const again = await shared();
  const rect = await again.getWindowRect();
  assert.deepEqual([rect.width, rect.height], [1100, 700], JSON.stringify(rect));
  await shot(again, 'desktop-restored-window');
});
