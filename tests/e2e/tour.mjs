// Takes the README screenshots from the real app window under Xvfb:
//   xvfb-run -a --server-args="-screen 0 1280x820x24" node tests/e2e/tour.mjs
// Writes docs/library.png, postmortem.png, search.png, fishbone.png, actions.png, insights.png,
// meeting-presenter.png, meeting-audience.png, dark.png, team-library.png and team-conflict.png.
// Each is taken once what it shows has loaded and the page has stopped moving.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cli, cliJson, daysEnding, openPostmortem, root, settled, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-tour-'));
cli(libraryDir, ['demo']);
const rows = cliJson(libraryDir, ['list', '--severity', 'SEV1']);
const featured = rows.find((r) => /DNS/.test(r.title)) ?? rows[0];
const all = cliJson(libraryDir, ['list']);
const withFishbone = all.find((r) => /^Checkout 502s after connection-pool/.test(r.title)) ?? all[0];
const docs = path.join(root, 'docs');
mkdirSync(docs, { recursive: true });
const keep = (name, file = screenshot(name)) => copyFileSync(file, path.join(docs, `${name}.png`));
/** The mean brightness of an image, from 0 (black) to 1 (white). */
const brightness = (file) => Number(execFileSync('convert', [file, '-colorspace', 'gray', '-format', '%[fx:mean]', 'info:']).toString());

// A desktop session names its user; this machine's may not, and the review panel shows it.
const app = await startApp(libraryDir, { USER: process.env.USER || 'oliver.brennan' });
const b = app.browser;
const ids = async (selector) => {
  const out = [];
  for (const el of await b.$$(selector)) out.push(await el.getAttribute('data-id'));
  return out;
};
try {
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 30000 });
  await until(b, async () => (await b.$$('[data-testid="pm-row"]')).length === all.length, 'the library is not all listed');
  await settled(b);
  keep('library');

  await openPostmortem(b, featured.id);
  // The page is complete once its similar incidents (asked for after it opened) are listed.
  const similar = cliJson(libraryDir, ['similar', featured.id]).map((s) => s.id);
  await until(b, async () => JSON.stringify(await ids('[data-testid="similar-item"]')) === JSON.stringify(similar), 'no similar incidents listed');
  await settled(b);
  keep('postmortem');

  const query = 'certificate expiry';
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue(query);
  await until(b, async () => (await (await b.$('[data-testid="search-results"]')).getAttribute('data-query')) === query, 'no results answer the query');
  await settled(b);
  keep('search');

  await input.addValue('\uE00C'); // Escape closes search
  await until(b, async () => !(await b.$('.search-view').isExisting()), 'search did not close');
  await (await b.$('[data-testid="nav-actions"]')).click();
  await (await b.$('[data-testid="follow-through"]')).waitForDisplayed({ timeout: 10000 });
  const pending = cliJson(libraryDir, ['actions']).filter((r) => r.item.status === 'open' || r.item.status === 'in_progress').length;
  await until(b, async () => (await b.$$('[data-testid="board-row"]')).length === pending, 'the board did not load');
  await settled(b);
  keep('actions');

  await (await b.$('[data-testid="nav-insights"]')).click();
  await (await b.$('[data-testid="period-365"]')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="period-365"]')).click();
  const today = cliJson(libraryDir, ['actions', '--metrics']).today;
  const yearAgo = daysEnding(today, 365).from;
  const year = cliJson(libraryDir, ['stats', '--from', yearAgo, '--to', today]);
  await until(
    b,
    async () => (await (await b.$('[data-testid="kpi-incidents"] .kpi-value')).getProperty('textContent')).trim() === String(year.current.incidents.total),
    'Insights did not show the year',
  );
  await until(b, async () => (await b.$$('[data-testid="chart-incidents_over_time"] [data-testid="chart-mark"]')).length > 0, 'the chart was not drawn');
  await settled(b);
  keep('insights');

  await openPostmortem(b, withFishbone.id);
  const diagram = await b.$('[data-testid="fishbone-diagram"]');
  await diagram.waitForExist({ timeout: 10000 });
  await until(b, async () => (await b.$$('[data-testid="diagram-cause"]')).length > 0, 'the fishbone has no causes drawn');
  await b.execute(() => {
    const el = document.querySelector('[data-testid="fishbone-panel"]');
    // Below the sticky top bar and the page header (about 92px together).
    if (el) window.scrollTo({ top: el.getBoundingClientRect().top + window.scrollY - 104, behavior: 'instant' });
  });
  await settled(b);
  keep('fishbone');

  // Facilitation mode on the same postmortem: the presenter at the timeline (its questions come
  // from the timeline's markers), then the audience window at the contributing factors.
  await (await b.$('[data-testid="run-meeting"]')).click();
  await (await b.$('[data-testid="meeting-agenda"]')).waitForDisplayed({ timeout: 15000 });
  for (const [name, role] of [['Priya Raman', 'incident_commander'], ['Tomás Ortega', 'subject_matter_expert'], ['Jo Kim', 'observer']]) {
    await (await b.$('[data-testid="attendee-name"]')).setValue(name);
    await (await b.$('[data-testid="attendee-role"]')).selectByAttribute('value', role);
    await (await b.$('[data-testid="attendee-add"]')).click();
    await until(b, async () => (await b.$$(`[data-testid="attendee-spoke"][data-name="${name}"]`)).length === 1, `${name} was not added`);
  }
  await b.execute(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await b.keys([' ']);
  await until(b, async () => (await (await b.$('[data-testid="meeting-toggle"]')).getProperty('textContent')).trim() === 'Pause', 'the meeting did not start');
  for (const k of ['1', '2', '1', '3', '2', '1', 'ArrowRight']) await b.keys([k]);
  await until(b, async () => (await (await b.$('[data-testid="meeting-step-title"]')).getProperty('textContent')).trim() === 'Timeline, told forward', 'the meeting did not move on');
  await (await b.$('[data-testid="meeting-notes"]')).setValue('Come back to the retry settings before the action items');
  // Typing scrolled the tools column to the notes; show it from the top, questions first.
  await b.execute(() => document.querySelector('[data-testid="meeting-prompts"]')?.scrollIntoView({ block: 'start', behavior: 'instant' }));
  await settled(b);
  keep('meeting-presenter');
  await b.execute(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  await b.keys(['ArrowRight']);
  await b.keys(['ArrowRight']);
  await (await b.$('[data-testid="meeting-audience"]')).click();
  const presenter = await b.getWindowHandle();
  let audience = null;
  await until(b, async () => (audience = (await b.getWindowHandles()).find((h) => h !== presenter) ?? null) !== null, 'the audience window did not open');
  await b.switchToWindow(audience);
  await until(b, async () => (await b.$('[data-testid="audience-step"]').isExisting()) && (await (await b.$('[data-testid="audience-step"]')).getProperty('textContent')).trim() === 'Contributing factors', 'the audience window does not show the factors');
  await settled(b);
  keep('meeting-audience');
  await b.switchToWindow(presenter);
  await (await b.$('[data-testid="meeting-audience"]')).click();
  await until(b, async () => (await b.getWindowHandles()).length === 1, 'the audience window did not close');
  await (await b.$('[data-testid="meeting-back"]')).click();
  await (await b.$('[data-testid="postmortem-page"]')).waitForDisplayed({ timeout: 15000 });

  await (await b.$('[data-testid="theme-toggle"]')).click();
  await until(b, () => b.execute(() => document.documentElement.dataset.theme === 'dark'), 'the theme did not change');
  await settled(b);
  // The screen itself shows the dark theme (not a frame from before the switch).
  let dark;
  await until(b, async () => brightness((dark = screenshot('dark'))) < 0.35, 'the screen is not dark');
  keep('dark', dark);
  await (await b.$('[data-testid="theme-toggle"]')).click();
  await until(b, () => b.execute(() => document.documentElement.dataset.theme === 'light'), 'the theme did not change back');

  // The team library: shared through a bare repository, a teammate's library beside it, and
  // one title changed differently by both.
  const remote = path.join(libraryDir, 'team-remote.git');
  const teammate = path.join(libraryDir, 'teammate');
  execFileSync('git', ['init', '--bare', '--quiet', '-b', 'main', remote]);
  cli(libraryDir, ['sync', '--remote', remote, '--author', 'Oliver Brennan <oliver@example.com>']);
  cli(teammate, ['sync', '--remote', remote, '--author', 'Priya Raman <priya@example.com>']);
  const retitle = (dir, title) => {
    const pm = cliJson(dir, ['show', featured.id]).postmortem;
    pm.title = title;
    const file = path.join(dir, 'retitle.json');
    writeFileSync(file, JSON.stringify({ format: 'debrief-library', version: 1, services: [], categories: [], templates: [], postmortems: [pm] }));
    cli(dir, ['import', file]);
  };
  retitle(teammate, `${featured.title.replace(/\.$/, '')}, in the EU region`);
  cli(teammate, ['sync']);
  retitle(libraryDir, featured.title.replace(/DNS migration/, 'DNS provider switch'));
  cli(libraryDir, ['sync']);
  await openPostmortem(b, featured.id);
  await (await b.$('[data-testid="conflicts-panel"]')).waitForDisplayed({ timeout: 15000 });
  await until(b, async () => (await (await b.$('[data-testid="team-badge"]')).getProperty('textContent')).trim() === '1 conflict', 'the badge did not follow the sync made beside the window');
  await b.execute(() => window.scrollTo(0, 0));
  await settled(b);
  keep('team-conflict');
  await (await b.$('[data-testid="team-badge"]')).click();
  await (await b.$('[data-testid="team-conflicts"]')).waitForDisplayed({ timeout: 15000 });
  await settled(b);
  keep('team-library');
} finally {
  await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
}
console.log(`screenshots written to ${docs}`);
