// Library data in the real window: a backup made from the screen, a restore of it that brings
// the library back to that moment (keeping what it replaced), a bad file refused without a
// change, and the shell refusing a path no file dialog returned.
//
// Expectations come from the CLI, never from numbers written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { answerDialog, cli, cliJson, sampleSession, screenshot, settled, text, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('backups');
const $ = (b, id) => b.$(`[data-testid="${id}"]`);
const rows = (b) => b.$$('[data-testid="backup-row"]');
const titles = () => cliJson(libraryDir, ['list']).map((p) => p.title).sort();

/** The tray's entry for the job whose label includes `label`, once it ended in `state`. */
async function jobEnded(b, label, state) {
  await until(
    b,
    async () => {
      for (const j of await b.$$('[data-testid="job"]')) {
        if ((await text(j)).includes(label) && (await j.getAttribute('data-state')) === state) return true;
      }
      return false;
    },
    `the job "${label}" did not end ${state}`,
    60000,
  );
}

test('back up from the screen, restore that backup, and refuse a bad file', async () => {
  const b = await session();
  await (await $(b, 'nav-data')).click();
  const view = await $(b, 'backups-view');
  await view.waitForDisplayed({ timeout: 15000, timeoutMsg: 'the library data screen did not open' });
  assert.equal(await text(await $(b, 'library-dir')), libraryDir);

  // Back up now: the list and the CLI agree.
  await (await $(b, 'backup-now')).click();
  await until(b, async () => (await rows(b)).length === 1, 'the backup did not appear in the list');
  const listed = cliJson(libraryDir, ['backup', '--list']).backups;
  assert.equal(listed.length, 1);
  assert.equal(listed[0].kind, 'manual');
  const atBackup = titles();

  // Work done after the backup, then the backup restored from its row.
  cli(libraryDir, ['new', '--title', 'Written after the backup']);
  assert.notDeepEqual(titles(), atBackup);
  await (await (await rows(b))[0].$('[data-testid="backup-restore"]')).click();
  await (await $(b, 'confirm-restore')).click();
  await jobEnded(b, 'Restoring the library', 'done');
  assert.deepEqual(titles(), atBackup, 'the library is as it was at the backup');
  await until(b, async () => (await rows(b)).length === 2, 'the replaced library is not listed as a backup');
  const kinds = [];
  for (const r of await rows(b)) kinds.push(await r.getAttribute('data-kind'));
  assert.deepEqual(kinds.sort(), ['before_restore', 'manual']);
  assert.deepEqual(cliJson(libraryDir, ['check']).problems, [], 'the restored library checks clean');
  await settled(b);
  await screenshot('backups-view');

  // A file that is not a library: refused, nothing changes, nothing more is kept.
  const bad = path.join(libraryDir, 'not-a-backup.sqlite3');
  writeFileSync(bad, 'this is not a database');
  await answerDialog(b, bad);
  await (await $(b, 'restore-from-file')).click();
  await (await $(b, 'confirm-restore')).click();
  await jobEnded(b, 'Restoring the library', 'failed');
  const failed = await b.$$('[data-testid="job"][data-state="failed"]');
  assert.match(await text(failed[failed.length - 1]), /not-a-backup\.sqlite3: not a Debrief library/);
  assert.deepEqual(titles(), atBackup);
  assert.equal(cliJson(libraryDir, ['backup', '--list']).backups.length, 2);
});

test('a command refuses a path that no file dialog returned', async () => {
  const b = await session();
  const target = path.join(libraryDir, 'never-chosen.json');
  const answer = await b.execute(async (file) => {
    try {
      await window.__TAURI_INTERNALS__.invoke('start_job', { request: { kind: 'export_library', ids: [], path: file, anonymize: false } });
      return { ok: true };
    } catch (e) {
      return { ok: false, code: String(e?.code), message: String(e?.message ?? e) };
    }
  }, target);
  assert.equal(answer.ok, false, 'an export to a path the user never chose was started');
  assert.equal(answer.code, 'validation', answer.message);
  assert.match(answer.message, /never-chosen\.json was not chosen in a save dialog/);

  // A backup the app listed can be restored from, never written over by an export.
  const listed = cliJson(libraryDir, ['backup', '--list']).backups[0];
  const before = readFileSync(listed.path);
  const overwrite = await b.execute(async (name) => {
    const backup = await window.__TAURI_INTERNALS__.invoke('choose_listed_backup', { fileName: name });
    try {
      await window.__TAURI_INTERNALS__.invoke('start_job', { request: { kind: 'export_library', ids: [], path: backup, anonymize: false } });
      return { ok: true };
    } catch (e) {
      return { ok: false, code: String(e?.code), message: String(e?.message ?? e) };
    }
  }, listed.file_name);
  assert.equal(overwrite.ok, false, 'an export over a listed backup was started');
  assert.match(overwrite.message, /was not chosen in a save dialog/);
  assert.ok(readFileSync(listed.path).equals(before), 'the backup is unchanged');

  // A folder chosen to import from cannot become the target of an export of several.
  const importFolder = path.join(libraryDir, 'to-import');
  mkdirSync(importFolder, { recursive: true });
  const intoImportFolder = await b.execute(async (folder) => {
    await window.__TAURI_INTERNALS__.invoke('pick_folder', { title: 'Import', forWriting: false, testAnswer: folder });
    try {
      await window.__TAURI_INTERNALS__.invoke('start_job', { request: { kind: 'export_markdown', ids: [], path: folder, anonymize: false } });
      return { ok: true };
    } catch (e) {
      return { ok: false, message: String(e?.message ?? e) };
    }
  }, importFolder);
  assert.equal(intoImportFolder.ok, false, 'an export into a folder picked for import was started');
  assert.match(intoImportFolder.message, /was not chosen in a folder dialog for writing/);
  assert.deepEqual(readdirSync(importFolder), [], 'nothing was written there');
});
