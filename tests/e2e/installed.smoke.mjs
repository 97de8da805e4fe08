// The installed package, used as a user would: the app from /usr/bin opens on an empty library,
// loads the sample, finds incidents with search, and quits; the installed CLI then reads what
// the app saved. scripts/package-linux.sh installs the .deb and runs this with DEBRIEF_APP and
// DEBRIEF_CLI set to the installed binaries. (Not a *.test.mjs: the other tests use the builds
// in target/, this one needs the package installed.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, screenshot, settled, until } from './harness.mjs';

const app = process.env.DEBRIEF_APP;
const cliPath = process.env.DEBRIEF_CLI;
const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-installed-'));
after(() => rmSync(libraryDir, { recursive: true, force: true }));

const cli = (...args) => JSON.parse(execFileSync(cliPath, ['--library', libraryDir, ...args, '--json']).toString());
const text = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
/** The ids of the processes running the installed app's binary. */
const appPids = () => {
  try {
    return execFileSync('pgrep', ['-x', path.basename(app).slice(0, 15)]).toString().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
};
/** Whether the app this test started still runs. Another Debrief already open on the machine
 * (a developer's, left from trying it by hand) made an earlier version of this check fail. */
let othersBefore = [];
const appRunning = () => appPids().some((pid) => !othersBefore.includes(pid));

test('the installed app opens, loads the sample library, searches and quits', async () => {
  assert.ok(app?.startsWith('/usr/') && cliPath?.startsWith('/usr/'), `installed binaries, not builds: ${app}, ${cliPath}`);
  othersBefore = appPids();
  const started = await startApp(libraryDir);
  const b = started.browser;
  try {
    const load = await b.$('[data-testid="load-sample"]');
    await load.waitForDisplayed({ timeout: 30000 });
    await load.click();
    const count = await b.$('[data-testid="list-count"]');
    await until(b, async () => /^\d+ postmortems$/.test(await text(count)), 'the sample did not load', 30000);
    const listed = cli('list');
    assert.ok(listed.length >= 40, `the installed CLI lists what the app loaded: ${listed.length}`);
    assert.equal(await text(count), `${listed.length} postmortems`);

    const query = 'certificate expiry';
    const input = await b.$('[data-testid="search-input"]');
    await input.click();
    await input.setValue(query);
    const results = await b.$('[data-testid="search-results"]');
    await until(b, async () => (await results.isExisting()) && (await results.getAttribute('data-query')) === query,
      `no results answer "${query}"`);
    const expected = cli('search', '--limit', '20', query);
    assert.ok(expected.total > 1);
    const total = Number((await text(await results.$('[data-testid="search-total"]'))).match(/\d+/)[0]);
    assert.equal(total, expected.total);
    await settled(b);
    screenshot('installed-search');

    // Quit (Ctrl+Q, File → Quit) ends the app; the window goes while WebDriver still
    // finishes the key press, so that call may fail.
    await b.keys(['Control', 'q']).catch(() => {});
    const deadline = Date.now() + 15000;
    while (appRunning() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(!appRunning(), 'the app kept running after its window closed');
  } finally {
    await started.stop();
  }
});
