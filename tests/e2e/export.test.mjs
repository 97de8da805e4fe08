// Exports in the real window, on the sample library: a postmortem's Export… dialog writes an
// anonymized PDF, the tray shows it done with "Open the file" (handed to the system's opener),
// and Insights' Export digest… writes the learning-review digest of the period on screen,
// with progress in the tray. The files are read back with poppler's pdftotext.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerDialog, assertEither, chooseRadio, cli, cliJson, daysEnding, fakeOpener, finishedJob, home, openPostmortem, screenshot, settled, startApp, text, until } from './harness.mjs';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-export-'));
const libraryDir = path.join(scratch, 'library');
let app;
let opener;

before(async () => {
  cli(libraryDir, ['demo']);
  // A stand-in for the system's opener: records what the app hands to it.
  opener = fakeOpener(scratch);
  app = await startApp(libraryDir, opener.env);
});
after(async () => {
  if (app) await app.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const pdfText = (file) => execFileSync('pdftotext', [file, '-']).toString();

test('a postmortem exports as an anonymized PDF and the tray opens it', async () => {
  const b = app.browser;
  const pm = cliJson(libraryDir, ['list'])[0];
  const full = cliJson(libraryDir, ['show', pm.id]).postmortem;
  await openPostmortem(b, pm.id);
  await (await b.$('[data-testid="export-postmortem"]')).click();
  const dialog = await b.$('[data-testid="export-dialog"]');
  await dialog.waitForDisplayed({ timeout: 10000 });
  // Nothing to export to until a place is chosen.
  assert.equal(await (await b.$('[data-testid="export-start"]')).isEnabled(), false);
  // Anonymize first: a place chosen before it is offered again, under the anonymized name.
  await (await b.$('[data-testid="export-anonymize"]')).click();
  const file = path.join(scratch, 'one.pdf');
  await answerDialog(b, file);
  await (await b.$('[data-testid="export-choose"]')).click();
  await until(b, async () => (await text(await b.$('[data-testid="export-path"]'))) === file, 'the chosen path was not shown');
  await (await b.$('[data-testid="export-anonymize"]')).click();
  assert.equal(await text(await b.$('[data-testid="export-path"]')), 'Not chosen yet', 'a change of name asks for the place again');
  await (await b.$('[data-testid="export-anonymize"]')).click();
  await answerDialog(b, file);
  await (await b.$('[data-testid="export-choose"]')).click();
  await until(b, async () => (await text(await b.$('[data-testid="export-path"]'))) === file, 'the chosen path was not shown');
  screenshot('export-dialog');
  await (await b.$('[data-testid="export-start"]')).click();

  const job = await finishedJob(b, 'one.pdf');
  assert.match(await text(await job.$('[data-testid="job-result"]')), /Wrote one\.pdf: \d+ pages/);
  screenshot('export-done');
  const written = pdfText(file);
  assert.ok(written.includes('anonymized'), 'the PDF says it is anonymized');
  for (const person of [...full.authors, full.incident_commander].filter(Boolean)) {
    assert.ok(!written.includes(person), `${person} is named in the anonymized PDF`);
  }
  // "Open the file" hands the file to the system's opener.
  await (await job.$('[data-testid="job-open"]')).click();
  await until(b, async () => opener.opened().includes(file), 'the file was not opened');
});

test('a postmortem exports as Markdown that imports back', async () => {
  const b = app.browser;
  const pm = cliJson(libraryDir, ['list'])[1];
  await openPostmortem(b, pm.id);
  await (await b.$('[data-testid="export-postmortem"]')).click();
  await (await b.$('[data-testid="export-dialog"]')).waitForDisplayed({ timeout: 10000 });
  await chooseRadio(b, 'export-format-md');
  const file = path.join(scratch, 'one.md');
  await answerDialog(b, file);
  await (await b.$('[data-testid="export-choose"]')).click();
  await until(b, async () => (await text(await b.$('[data-testid="export-path"]'))) === file, 'the chosen path was not shown');
  await (await b.$('[data-testid="export-start"]')).click();
  const job = await finishedJob(b, 'one.md');
  assert.match(await text(await job.$('[data-testid="job-result"]')), /Wrote one\.md/);
  const written = readFileSync(file, 'utf8');
  assert.ok(written.startsWith('---\ndebrief: 2\n'), `one.md starts: ${JSON.stringify(written.slice(0, 120))}`);
  const other = path.join(scratch, 'markdown-library');
  cli(other, ['import', file]);
  assert.equal(cliJson(other, ['show', pm.id]).postmortem.title, pm.title);
});

test('a timeline exports as CSV that the CLI reads back', async () => {
  const b = app.browser;
  const pm = cliJson(libraryDir, ['list'])[0];
  await openPostmortem(b, pm.id);
  const file = path.join(scratch, 'timeline.csv');
  await answerDialog(b, file);
  await (await b.$('[data-testid="timeline-export"]')).click();
  const job = await finishedJob(b, 'timeline.csv');
  const events = cliJson(libraryDir, ['timeline', pm.id]).timeline;
  assert.match(await text(await job.$('[data-testid="job-result"]')), new RegExp(`Wrote ${events.length} to`));
  const csv = readFileSync(file, 'utf8');
  assert.ok(csv.startsWith('time,event,kind,marker'), csv.slice(0, 80));
  for (const e of events.filter((e) => !e.text.includes('"'))) {
    assert.ok(csv.includes(e.text), `the CSV lacks "${e.text}"`);
  }
  // Read back into a new postmortem by the CLI's timeline import: the same events.
  const copy = cli(libraryDir, ['new', '--title', 'Timeline read back']).trim().split(/\s+/).pop();
  cli(libraryDir, ['timeline', copy, '--import', file]);
  const back = cliJson(libraryDir, ['timeline', copy]).timeline;
  assert.deepEqual(
    back.map((e) => [e.at, e.text, e.kind, e.marker]),
    events.map((e) => [e.at, e.text, e.kind, e.marker]),
  );
});

test('the library exports as a folder of PDFs, and as an anonymized JSON document that imports', async () => {
  const b = app.browser;
  await home(b);
  const count = cliJson(libraryDir, ['list']).length;
  // PDF: the place is a folder, one file per postmortem.
  await (await b.$('[data-testid="library-export"]')).click();
  await (await b.$('[data-testid="export-dialog"]')).waitForDisplayed({ timeout: 10000 });
  await chooseRadio(b, 'export-format-pdf');
  const folder = path.join(scratch, 'pdfs');
  await answerDialog(b, folder);
  await (await b.$('[data-testid="export-choose"]')).click();
  await until(b, async () => (await text(await b.$('[data-testid="export-path"]'))) === folder, 'the folder was not shown');
  await (await b.$('[data-testid="export-start"]')).click();
  const pdfs = await finishedJob(b, 'Writing PDFs into pdfs');
  assert.match(await text(await pdfs.$('[data-testid="job-result"]')), new RegExp(`Wrote ${count} PDFs into`));
  assert.equal(readdirSync(folder).filter((f) => f.endsWith('.pdf')).length, count);
  assert.equal(await text(await pdfs.$('[data-testid="job-open"]')), 'Open the folder');

  // JSON, anonymized: a library document another library imports.
  await (await b.$('[data-testid="library-export"]')).click();
  await (await b.$('[data-testid="export-dialog"]')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="export-anonymize"]')).click();
  const json = path.join(scratch, 'anonymized.json');
  await answerDialog(b, json);
  await (await b.$('[data-testid="export-choose"]')).click();
  await until(b, async () => (await text(await b.$('[data-testid="export-path"]'))) === json, 'the file was not shown');
  await (await b.$('[data-testid="export-start"]')).click();
  await finishedJob(b, 'anonymized.json');
  const doc = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(doc.postmortems.length, count);
  const commander = cliJson(libraryDir, ['show', doc.postmortems[0].id]).postmortem.incident_commander;
  if (commander) assert.ok(!readFileSync(json, 'utf8').includes(commander), `${commander} is in the anonymized export`);
  const other = path.join(scratch, 'other-library');
  cli(other, ['import', json]);
  assert.equal(cliJson(other, ['list']).length, count);
});

test('Insights exports the digest of the period on screen', async () => {
  const b = app.browser;
  await home(b);
  await (await b.$('[data-testid="nav-insights"]')).click();
  await until(b, async () => (await b.$('[data-testid="kpi-incidents"]')).isExisting(), 'Insights did not show');
  await (await b.$('[data-testid="period-365"]')).click();
  await settled(b);
  const dayBefore = cliJson(libraryDir, ['actions', '--metrics']).today;
  await (await b.$('[data-testid="export-digest"]')).click();
  await (await b.$('[data-testid="export-dialog"]')).waitForDisplayed({ timeout: 10000 });
  const from = await (await b.$('[data-testid="export-from"]')).getValue();
  const to = await (await b.$('[data-testid="export-to"]')).getValue();
  // The dialog takes the period on screen: the 365 days ending today, as the core counts today
  // (read before and after, as a run can cross midnight).
  const dayAfter = cliJson(libraryDir, ['actions', '--metrics']).today;
  assertEither({ from, to }, [daysEnding(dayBefore, 365), daysEnding(dayAfter, 365)], 'the dialog does not take the year on screen');
  const file = path.join(scratch, 'digest.pdf');
  await answerDialog(b, file);
  await (await b.$('[data-testid="export-choose"]')).click();
  await until(b, async () => (await text(await b.$('[data-testid="export-path"]'))) === file, 'the chosen path was not shown');
  screenshot('export-digest-dialog');
  await (await b.$('[data-testid="export-start"]')).click();
  const job = await finishedJob(b, 'digest.pdf');
  assert.match(await text(await job.$('[data-testid="job-result"]')), /Wrote digest\.pdf: \d+ pages/);
  const written = pdfText(file);
  for (const part of ['Learning review', 'The most instructive incidents', 'Key figures', `debrief digest --from ${from} --to ${to}`]) {
    assert.ok(written.includes(part), `the digest lacks "${part}"`);
  }
});
