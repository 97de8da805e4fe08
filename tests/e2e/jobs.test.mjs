// Long work in the real window: an import of 10,000 postmortems runs in the background with its
// progress in the tray, while the search box still answers; a second import is cancelled and
// keeps nothing; a link in rendered Markdown opens in the browser and the window stays put.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerDialog, fakeOpener, root, startApp, screenshot, until } from './harness.mjs';
import { writeSampleCopies } from './sample-copies.mjs';

const cli = path.join(root, 'target/debug/debrief');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-jobs-'));
const libraryDir = path.join(scratch, 'library');
const bigFile = path.join(scratch, 'ten-thousand.json');
const smallFile = path.join(scratch, 'two-thousand.json');
const COPIES = 10000;
let app;
let opener;
let sampleCount;

const text = async (el) => (await el.getProperty('textContent')).trim();
const countPostmortems = () =>
  JSON.parse(execFileSync(cli, ['--library', libraryDir, 'list', '--json'], { maxBuffer: 1 << 28 }).toString()).length;

before(async () => {
  // The user's library: the sample, prepared with the real CLI. The files to import: copies of
  // the sample with fresh ids, as another team's export would be.
  execFileSync(cli, ['--library', libraryDir, 'demo']);
  sampleCount = countPostmortems();
  writeSampleCopies(cli, scratch, bigFile, COPIES);
  writeSampleCopies(cli, scratch, smallFile, 2000);
  // A stand-in for the system browser: records the URLs the app hands to it.
  opener = fakeOpener(scratch);
  app = await startApp(libraryDir, opener.env);
});
after(async () => {
  if (app) await app.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Clicks Import… and answers the open dialog with `file`. */
async function importThroughTheButton(b, file) {
  await answerDialog(b, [file]);
  await (await b.$('[data-testid="library-import"]')).click();
}

const jobOf = async (b, label) => {
  for (const j of await b.$$('[data-testid="job"]')) {
    if ((await text(j)).includes(label)) return j;
  }
  return null;
};

test('an import of 10,000 postmortems runs in the background while search still answers', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 30000 });
  await importThroughTheButton(b, bigFile);
  // The tray shows the job working through its phases.
  await until(b, async () => {
    const job = await jobOf(b, 'ten-thousand.json');
    return job && (await job.getAttribute('data-state')) === 'running';
  }, 'the import did not show as running', 30000);
  await until(b, async () => {
    const step = await b.$('[data-testid="job-step"]');
    return (await step.isExisting()) && /^(Checking|Saving) [\d,]+ of 10,000$/.test(await text(step));
  }, 'the import did not report its progress', 60000);
  screenshot('import-running');

  // While it works, the search box answers with results from the library as it was.
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue('certificate');
  await until(b, async () => {
    const results = await b.$('[data-testid="search-results"]');
    return (await results.getAttribute('data-query')) === 'certificate' && (await b.$$('[data-testid="search-hit"]')).length > 0;
  }, 'search showed no results while the import ran', 20000);
  const job = await jobOf(b, 'ten-thousand.json');
  assert.equal(await job.getAttribute('data-state'), 'running', 'the results came while the import was still working');
  screenshot('search-during-import');
  await (await b.$('[data-testid="search-input"]')).click();
  await b.keys('Escape');

  // It ends with what it did, and the list counts the new postmortems.
  await until(b, async () => (await job.getAttribute('data-state')) === 'done', 'the import did not finish', 8 * 60000);
  assert.match(await text(await job.$('[data-testid="job-result"]')), /ten-thousand\.json: 10,000 added/);
  await until(b, async () => {
    const count = await text(await b.$('[data-testid="list-count"]'));
    return count.startsWith(`${(sampleCount + COPIES).toLocaleString('en-US')} postmortems`);
  }, 'the list did not count the imported postmortems');
  // The list pages: it does not put 10,000 rows into the window.
  const rows = (await b.$$('[data-testid="pm-row"]')).length;
  assert.ok(rows > 0 && rows <= 200, `${rows} rows in the DOM`);
  assert.equal(countPostmortems(), sampleCount + COPIES);
});

test('scrolling to the end of the list loads the next page', async () => {
  const b = app.browser;
  const rows = async () => (await b.$$('[data-testid="pm-row"]')).length;
  const before = await rows();
  await (await b.$('[data-testid="list-more"]')).scrollIntoView();
  await until(b, async () => (await rows()) > before, 'the next page did not load');
  const count = await text(await b.$('[data-testid="list-count"]'));
  assert.match(count, new RegExp(`· ${(await rows()).toLocaleString('en-US')} shown$`));
  await b.execute(() => window.scrollTo(0, 0));
});

test('a cancelled import keeps nothing of its file', async () => {
  const b = app.browser;
  const before = countPostmortems();
  await importThroughTheButton(b, smallFile);
  await until(b, async () => {
    const job = await jobOf(b, 'two-thousand.json');
    if (!job || (await job.getAttribute('data-state')) !== 'running') return false;
    const step = await job.$('[data-testid="job-step"]');
    return (await step.isExisting()) && /^Saving /.test(await text(step));
  }, 'the second import did not start saving', 60000);
  const job = await jobOf(b, 'two-thousand.json');
  await (await job.$('[data-testid="job-cancel"]')).click();
  await until(b, async () => (await job.getAttribute('data-state')) === 'cancelled', 'the import was not cancelled', 30000);
  assert.match(await text(await job.$('[data-testid="job-result"]')), /two-thousand\.json was cancelled; nothing was changed/);
  screenshot('import-cancelled');
  assert.equal(countPostmortems(), before);
});

test('a link in rendered Markdown opens in the browser and the window stays in the app', async () => {
  const b = app.browser;
  const row = await b.$('[data-testid="pm-row"]');
  await (await row.$('td:nth-child(3)')).click();
  await (await b.$('[data-testid="section-write-summary"]')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="section-write-summary"]')).click();
  const summary = await b.$('[data-testid="section-input-summary"]');
  await summary.waitForDisplayed({ timeout: 10000 });
  await summary.addValue('\n\nSee [the runbook](https://runbooks.example.com/dns) and [a local page](notes.html).');
  await until(b, async () => (await text(await b.$('[data-testid="save-state"]'))).startsWith('Saved'), 'not saved', 20000);
  // The preview renders the Markdown with real links.
  await (await b.$('[data-testid="section-preview-summary"]')).click();
  const local = await b.$('a[href="notes.html"]');
  await local.waitForDisplayed({ timeout: 10000 });
  const appUrl = await b.getUrl();
  const handedOver = () => opener.opened();
  // The local link first, then the web link: once the web link has reached the browser, the
  // click before it has been handled too.
  await local.click();
  await (await b.$('a[href="https://runbooks.example.com/dns"]')).click();
  await until(b, async () => handedOver().includes('https://runbooks.example.com/dns'), 'the web link did not reach the browser');
  assert.equal(await b.getUrl(), appUrl, 'the window left the app');
  assert.ok(await (await b.$('[data-testid="pm-title"]')).isDisplayed());
  assert.ok(!handedOver().includes('notes.html'), 'a local link was handed to the browser');

  // A script that tries to leave is held by the shell's navigation guard: a local file is
  // refused, a web page goes to the browser; the second proves the first was decided.
  await b.execute(() => { window.location.href = 'file:///etc/hostname'; });
  await b.execute(() => { window.location.href = 'https://example.org/after-the-file'; });
  await until(b, async () => handedOver().includes('https://example.org/after-the-file'), 'the guard did not hand the page over');
  assert.equal(await b.getUrl(), appUrl, 'the window left the app');
  assert.ok(!handedOver().includes('file:'), 'a file URL was handed to the browser');
  assert.ok(await (await b.$('[data-testid="pm-title"]')).isDisplayed());
});
