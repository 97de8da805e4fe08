// Starts the real Debrief app through tauri-driver (which drives WebKitWebDriver) and hands
// back a WebdriverIO browser. Needs an X display: run under xvfb-run (see run.sh).
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before } from 'node:test';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const artifacts = path.join(here, '.artifacts');
/** The app binary to drive: `DEBRIEF_APP`, else the debug build. Read when an app starts, not
 * when this module loads: a script importing the harness (measure-open.mjs) sets it in its own
 * body, which runs after its imports. */
const application = () => process.env.DEBRIEF_APP ?? path.join(root, 'target/debug/debrief-app');

function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.end(); resolve(); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`tauri-driver did not listen on ${port}`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Asks the OS for a free TCP port, so two runs on one machine never collide. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a private D-Bus session bus (on Linux, instances of the app find each other on it:
 * the single-instance plugin). Resolves to { address, stop }.
 */
export function startSessionBus() {
  return new Promise((resolve, reject) => {
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    bus.on('error', reject);
    bus.stdout.once('data', (d) => resolve({ address: d.toString().trim().split('\n')[0], stop: () => bus.kill('SIGTERM') }));
  });
}

/** Signals every process in the group led by `pid`; a group already gone is fine. */
function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

/** Starts the app on `libraryDir` (with `env` added to its environment); returns { browser, stop }. */
/**
 * A stand-in for the system's opener (xdg-open) in `dir`: it records what the app hands to it
 * (a URL for the browser, a file to open). Start the app with `env`; `opened()` reads the record.
 */
export function fakeOpener(dir) {
  const bin = path.join(dir, 'bin');
  const record = path.join(dir, 'opened.txt');
  mkdirSync(bin, { recursive: true });
  const xdgOpen = path.join(bin, 'xdg-open');
  writeFileSync(xdgOpen, `#!/bin/sh\necho "$1" >> ${JSON.stringify(record)}\n`);
  chmodSync(xdgOpen, 0o755);
  return {
    env: { PATH: `${bin}:${process.env.PATH}` },
    opened: () => (existsSync(record) ? readFileSync(record, 'utf8') : ''),
  };
}

export async function startApp(libraryDir, env = {}) {
  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();
  // tauri-driver starts WebKitWebDriver, which starts the app. They run in a process group of
  // their own, so `stop` can end all three: an app left behind would keep the test runner's
  // pipes open and the run would never finish. Their output goes to a log file, not our pipes.
  mkdirSync(artifacts, { recursive: true });
  const log = openSync(path.join(artifacts, 'tauri-driver.log'), 'a');
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    // DEBRIEF_E2E_DIALOGS: a file dialog takes the answer a test queued (see answerDialog).
    // XDG_CONFIG_HOME: the window's saved size and the recent libraries are per start, unless a
    // test passes its own to share them between starts.
    env: {
      ...process.env,
      DEBRIEF_LIBRARY: libraryDir,
      DEBRIEF_E2E_DIALOGS: '1',
      XDG_CONFIG_HOME: mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-config-')),
      ...env,
    },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log); // the driver has its own copy
  await waitForPort(port, 20000);
  const browser = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryTimeout: 120000,
    // WebKitWebDriver speaks classic WebDriver only: no BiDi session.
    capabilities: { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: application() } },
  });
  browser.setTimeout({ implicit: 0 });
  const stop = async () => {
    try { await browser.deleteSession(); } catch { /* the app may already be gone */ }
    killGroup(driver.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    killGroup(driver.pid, 'SIGKILL');
  };
  // processGroup: the group of tauri-driver, WebKitWebDriver, the app and WebKit's processes.
  return { browser, stop, processGroup: driver.pid };
}

/** Saves a screenshot of the whole X display (the real window) under .artifacts/. */
export function screenshot(name) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  try {
    execFileSync('import', ['-window', 'root', file]);
  } catch (e) {
    console.warn(`screenshot ${name} failed: ${e.message}`);
  }
  return file;
}

/** Waits until `fn` returns a truthy value. */
export async function until(browser, fn, message, timeout = 15000) {
  await browser.waitUntil(fn, { timeout, interval: 150, timeoutMsg: message });
}

// Helpers for tests that reach their own starting point and wait only on conditions.

/** Runs the real `debrief` CLI on `libraryDir` (with `env` added to ours) and returns what it printed. */
export function cli(libraryDir, args, env = {}) {
  return execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, ...args], {
    maxBuffer: 1 << 28,
    env: { ...process.env, ...env },
  }).toString();
}

/** Runs the CLI with --json and parses what it printed. */
export const cliJson = (libraryDir, args, env = {}) => JSON.parse(cli(libraryDir, [...args, '--json'], env));

/** The `days` days ending on `day` (YYYY-MM-DD), both included: the period a preset means. */
export function daysEnding(day, days) {
  return { from: new Date(Date.parse(`${day}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10), to: day };
}

/**
 * Checks what the window shows against what the core reports, read just before and just after
 * the window was read: the two differ only when a day ended in between, and then the window
 * may show either.
 */
export function assertEither(seen, expected, message) {
  const [a, b] = expected;
  const ok = (e) => JSON.stringify(seen) === JSON.stringify(e);
  assert.ok(ok(a) || ok(b), `${message}: ${JSON.stringify(seen)}, expected ${JSON.stringify(a)}`);
}

/** Where `el` is: its box, whether its middle takes the pointer, and the window's scroll. */
const placeOf = (browser, el) =>
  browser.execute((e) => {
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return JSON.stringify({
      box: [r.left, r.top, r.width, r.height].map(Math.round),
      scroll: [Math.round(window.scrollX), Math.round(window.scrollY)],
      hit: hit !== null && (hit === e || e.contains(hit)),
    });
  }, el);

/**
 * Scrolls `el` to the middle of the window at once (no smooth scrolling) and waits until it is
 * still (two reads of its box and the window's scroll, a poll apart, are equal) and its middle
 * takes the pointer (nothing, such as the sticky top bar, covers it). A click then lands on it,
 * even when the app had started a smooth scroll of its own.
 */
export async function centre(browser, el, message = 'the element did not come to rest in view') {
  await browser.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), el);
  let last = null;
  await until(browser, async () => {
    const now = await placeOf(browser, el);
    const still = now === last;
    last = now;
    if (still && !JSON.parse(now).hit) {
      // At rest but covered or out of view (a late smooth scroll moved it): once more.
      await browser.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), el);
      last = null;
      return false;
    }
    return still;
  }, message);
}

/**
 * Waits until nothing on the page moves (no finite animation or transition running, the scroll
 * and the page's height the same two reads running), then until the browser has drawn a frame
 * after that. For screenshots.
 */
export async function settled(browser, message = 'the page did not come to rest') {
  let last = null;
  await until(browser, async () => {
    const now = await browser.execute(() => {
      const moving = document
        .getAnimations()
        .filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity).length;
      return JSON.stringify([moving, Math.round(window.scrollX), Math.round(window.scrollY), document.documentElement.scrollHeight]);
    });
    const still = now === last && JSON.parse(now)[0] === 0;
    last = now;
    return still;
  }, message);
  await browser.execute(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true)))));
}

/**
 * Back to the library list from wherever the window is: an open dialog cancelled (as Escape
 * would), search closed and cleared, the current page left (which saves it). Resolves when the
 * list (or the empty library's first screen) has loaded.
 */
export async function home(browser) {
  const dialogOpen = () => browser.execute(() => document.querySelector('dialog[open]') !== null);
  if (await dialogOpen()) {
    await browser.execute(() => {
      for (const d of document.querySelectorAll('dialog[open]')) d.dispatchEvent(new Event('cancel', { cancelable: true }));
    });
    await until(browser, async () => !(await dialogOpen()), 'a dialog did not close');
  }
  const searchOpen = () => browser.execute(() => document.querySelector('.search-view') !== null);
  if (await searchOpen()) {
    await (await browser.$('[data-testid="search-input"]')).addValue('\uE00C'); // Escape: close and clear
    await until(browser, async () => !(await searchOpen()), 'search did not close');
  }
  await (await browser.$('.brand')).click();
  await until(browser, async () => {
    const list = await browser.$('[data-testid="list-count"]');
    if (await list.isExisting()) return !/Loading/.test(await list.getProperty('textContent'));
    return browser.$('[data-testid="load-sample"]').isExisting();
  }, 'the library did not load', 30000);
}

/**
 * Opens postmortem `id` from the library (its filters cleared if they hide it) and resolves
 * when its page shows it, loaded.
 */
export async function openPostmortem(browser, id) {
  await home(browser);
  const row = await browser.$(`[data-testid="pm-row"][data-id="${id}"]`);
  if (!(await row.isExisting())) {
    const clear = await browser.$('[data-testid="library-clear-filters"]');
    if (await clear.isExisting()) await clear.click();
  }
  await row.waitForExist({ timeout: 15000, timeoutMsg: `postmortem ${id} is not in the library` });
  const cell = await row.$('td:nth-child(3)'); // WebKitWebDriver cannot click a <tr> itself
  await centre(browser, cell);
  await cell.click();
  const title = await browser.$(`[data-testid="postmortem-page"][data-id="${id}"] [data-testid="pm-title"]`);
  await title.waitForDisplayed({ timeout: 15000, timeoutMsg: `postmortem ${id} did not open` });
}

/**
 * Edits postmortem `id` the way another tool would: `change` edits the document `debrief show`
 * gives, which is then imported back with the CLI (a revision is kept, as for any import).
 */
export function changeWithCli(libraryDir, id, change) {
  const pm = cliJson(libraryDir, ['show', id]).postmortem;
  change(pm);
  const file = path.join(libraryDir, `${id}.json`);
  writeFileSync(
    file,
    JSON.stringify({ format: 'debrief-library', version: 1, services: [], categories: [], templates: [], postmortems: [pm] }),
  );
  cli(libraryDir, ['import', file]);
}

/**
 * For a test file that works on the sample library: a library made by the CLI before the
 * file's tests, and `session()`, the app on it, started on first use. Both go after the tests.
 */
export function sampleSession(name) {
  const libraryDir = mkdtempSync(path.join(os.tmpdir(), `debrief-e2e-${name}-`));
  let app = null;
  before(() => {
    cli(libraryDir, ['demo']);
  });
  after(async () => {
    if (app) await app.stop();
    rmSync(libraryDir, { recursive: true, force: true });
  });
  const session = async () => {
    app ??= await startApp(libraryDir);
    return app.browser;
  };
  return { libraryDir, session };
}

/** An element's text with its white space collapsed (WebKitWebDriver's rendered-text atom reads some flex labels as empty, so this reads textContent). */
export const text = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();

/**
 * Checks the radio button `testid` and waits until it is. The app's menu bar sits inside the
 * window above the page (GTK), and WebKitWebDriver's element click then lands a little above
 * a small target: a 12 px radio is missed while buttons and labels are hit. The radio is
 * clicked in the page instead (its change handler runs as for a user's click).
 */
export async function chooseRadio(browser, testid) {
  const radio = await browser.$(`[data-testid="${testid}"]`);
  await radio.waitForExist({ timeout: 10000 });
  await browser.execute((el) => el.click(), radio);
  await until(browser, async () => await radio.isSelected(), `${testid} was not chosen`);
}

/** Answers the next native dialog with `answer` (the tests cannot click inside one). */
export const answerDialog = (browser, answer) =>
  browser.execute((a) => {
    window.__debriefDialogAnswers = [...(window.__debriefDialogAnswers ?? []), a];
  }, answer);

/** The tray's entry for the job whose label includes `label`, once it is done. */
export async function finishedJob(browser, label, timeout = 60000) {
  let found = null;
  await until(
    browser,
    async () => {
      for (const j of await browser.$$('[data-testid="job"]')) {
        if ((await text(j)).includes(label) && (await j.getAttribute('data-state')) === 'done') found = j;
      }
      return found !== null;
    },
    `the job "${label}" did not finish`,
    timeout,
  );
  return found;
}
