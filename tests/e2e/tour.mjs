// Takes the README screenshots from the real app window under Xvfb:
//   xvfb-run -a --server-args="-screen 0 1280x820x24" node tests/e2e/tour.mjs
// Writes docs/library.png, postmortem.png, search.png, fishbone.png, actions.png and dark.png.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp, screenshot, until } from './harness.mjs';

const debrief = path.join(root, 'target/debug/debrief');
const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-tour-'));
execFileSync(debrief, ['--library', libraryDir, 'demo']);
const rows = JSON.parse(execFileSync(debrief, ['--library', libraryDir, 'list', '--severity', 'SEV1', '--json']));
const featured = rows.find((r) => /DNS/.test(r.title)) ?? rows[0];
const all = JSON.parse(execFileSync(debrief, ['--library', libraryDir, 'list', '--json']));
const withFishbone = all.find((r) => /^Checkout 502s after connection-pool/.test(r.title)) ?? all[0];
const docs = path.join(root, 'docs');
mkdirSync(docs, { recursive: true });
const keep = (name) => copyFileSync(screenshot(name), path.join(docs, `${name}.png`));

// A desktop session names its user; this machine's may not, and the review panel shows it.
const app = await startApp(libraryDir, { USER: process.env.USER || 'oliver.brennan' });
const b = app.browser;
try {
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 30000 });
  await b.pause(500);
  keep('library');

  await (await b.$(`[data-testid="pm-row"][data-id="${featured.id}"] td:nth-child(3)`)).click();
  await (await b.$('[data-testid="pm-title"]')).waitForDisplayed({ timeout: 10000 });
  await b.pause(800);
  keep('postmortem');

  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue('certificate expiry');
  await until(b, async () => (await b.$$('[data-testid="search-hit"]')).length > 0, 'no hits');
  await b.pause(500);
  keep('search');

  await (await b.$('[data-testid="search-input"]')).addValue('\uE00C'); // Escape closes search
  await (await b.$('[data-testid="nav-actions"]')).click();
  await (await b.$('[data-testid="follow-through"]')).waitForDisplayed({ timeout: 10000 });
  await b.pause(800);
  keep('actions');

  await (await b.$('.brand')).click();
  await (await b.$(`[data-testid="pm-row"][data-id="${withFishbone.id}"] td:nth-child(3)`)).click();
  const diagram = await b.$('[data-testid="fishbone-diagram"]');
  await diagram.waitForExist({ timeout: 10000 });
  await b.execute(() => {
    const el = document.querySelector('[data-testid="fishbone-panel"]');
    // Below the sticky top bar and the page header (about 92px together).
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 104);
  });
  await b.pause(800);
  keep('fishbone');

  await (await b.$('[data-testid="theme-toggle"]')).click();
  await b.pause(500);
  keep('dark');
  await (await b.$('[data-testid="theme-toggle"]')).click();
} finally {
  await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
}
console.log(`screenshots written to ${docs}`);
