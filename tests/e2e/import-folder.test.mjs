// Importing a folder of other people's Markdown postmortems in the real window: Import folder…
// reads the folder (a dry run) and shows each file with what was understood, a file that cannot
// be read shows why, the folder's template starts unticked, and the rest import; an imported
// postmortem opens with its timeline read from CET into UTC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  answerDialog,
  cliJson,
  finishedJob,
  home,
  openPostmortem,
  root,
  screenshot,
  settled,
  startApp,
  text,
  until,
} from './harness.mjs';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-import-folder-'));
const libraryDir = path.join(scratch, 'library');
const folder = path.join(scratch, 'postmortems');
let app;

before(async () => {
  // The DFDS postmortems (one folder deeper, as in a repository), a file that is not UTF-8.
  mkdirSync(folder, { recursive: true });
  cpSync(path.join(root, 'tests/fixtures/corpus/dfds-2019-2020'), path.join(folder, 'dfds'), { recursive: true });
  rmSync(path.join(folder, 'dfds', 'LICENSE'));
  writeFileSync(path.join(folder, 'latin1.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]));
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(scratch, { recursive: true, force: true });
});

test('a folder of Markdown postmortems is previewed file by file and imported', async () => {
  const b = app.browser;
  await home(b);
  await answerDialog(b, folder);
  await (await b.$('[data-testid="empty-import-folder"]')).click();
  const dialog = await b.$('[data-testid="md-import-dialog"]');
  await dialog.waitForDisplayed({ timeout: 30000, timeoutMsg: 'the preview did not open' });
  const rows = await b.$$('[data-testid="md-import-file"]');
  assert.equal(rows.length, 14, 'thirteen DFDS files and the file that is not UTF-8');
  assert.equal(cliJson(libraryDir, ['list']).length, 0, 'the preview imports nothing');

  // The unreadable file says why and cannot be ticked.
  const bad = await b.$('[data-testid="md-import-file"][data-file="postmortems/latin1.md"]');
  assert.match(await text(await bad.$('[data-testid="md-import-error"]')), /not UTF-8/);
  assert.equal(await (await bad.$('[data-testid="md-import-check"]')).isEnabled(), false);

  // A row opens to what became what.
  const kiam = await b.$('[data-testid="md-import-file"][data-file="postmortems/dfds/PM2020-002 - KIAM service disruption on Hellman.md"]');
  assert.equal(await text(await kiam.$('[data-testid="md-import-title"]')), 'KIAM Service disruption');
  assert.match(await text(kiam), /5 sections · 4 events · 3 action items · 3 factors/);
  await (await kiam.$('[data-testid="md-import-toggle"]')).click();
  const details = await kiam.$('[data-testid="md-import-details"]');
  await details.waitForDisplayed();
  assert.match(await text(details), /times in CET → converted to UTC/);
  assert.match(await text(details), /Time to detection: 54 minutes → marker detected/);
  // DFDS's template, kept beside its postmortems, reads like one: marked, and left unticked.
  const template = await b.$('[data-testid="md-import-file"][data-file="postmortems/dfds/PMyyyy-nnn - Postmortem template.md"]');
  assert.equal(await text(await template.$('[data-testid="md-import-template"]')), 'Template?');
  assert.equal(await (await template.$('[data-testid="md-import-check"]')).isSelected(), false);
  assert.match(await text(await b.$('[data-testid="md-import-templates-note"]')), /One file reads like a template/);
  assert.equal((await b.$$('[data-testid="md-import-template"]')).length, 1, 'only the template is marked');
  const start = await b.$('[data-testid="md-import-start"]');
  assert.equal(await text(start), 'Import 12 postmortems');
  // Ticked by hand it would be imported; unticked again it is not.
  await (await template.$('[data-testid="md-import-check"]')).click();
  assert.equal(await text(start), 'Import all 13');
  await (await template.$('[data-testid="md-import-check"]')).click();
  assert.equal(await text(start), 'Import 12 postmortems');
  await settled(b);
  screenshot('import-folder-preview');
  await start.click();

  const job = await finishedJob(b, 'Importing 12 postmortems');
  assert.match(await text(await job.$('[data-testid="job-result"]')), /postmortems: 12 added/);
  await until(b, async () => /12/.test(await text(await b.$('[data-testid="list-count"]'))), 'the list did not show the 12', 30000);
  const list = cliJson(libraryDir, ['list']);
  assert.equal(list.length, 12);
  assert.ok(!list.some((p) => p.title === 'Incident Title'), 'the unticked template was not imported');

  // The imported postmortem opens, its CET timeline in UTC.
  const id = list.find((p) => p.title === 'KIAM Service disruption').id;
  await openPostmortem(b, id);
  const events = await b.$$('[data-testid="timeline-event"]');
  assert.equal(events.length, 4);
  // 15:36 CET is 14:36 UTC (these machines' local time is UTC); the stats marked detection.
  assert.equal(await (await events[0].$('input.time')).getValue(), '2020-01-21T14:36');
  assert.equal(await (await events[0].$('[data-testid="timeline-text"]')).getValue(), 'Certificate for KIAM server expires');
  assert.equal(await (await events[2].$('[data-testid="timeline-marker"]')).getValue(), 'detected');
  await settled(b);
  screenshot('import-folder-opened');
});
