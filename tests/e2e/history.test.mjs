// Revision history and the stale-save guard in the real window. The command line changes a
// postmortem while its page is open; the page's next autosave is refused and says so, and
// "Keep mine" saves the page's version on purpose. The History dialog then lists the versions,
// shows what changed, and restores the sample's original.
//
// Expectations come from the CLI, never from numbers written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeWithCli, cliJson, openPostmortem, sampleSession, screenshot, settled, text, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('history');
const $ = (b, id) => b.$(`[data-testid="${id}"]`);

test('a save over a newer version is refused, then kept on purpose, and the history restores the original', async () => {
  const b = await session();
  const listed = cliJson(libraryDir, ['list']);
  const id = listed[0].id;
  const original = cliJson(libraryDir, ['show', id]).postmortem.title;
  await openPostmortem(b, id);
  const title = await $(b, 'pm-title');

  // Someone else saves it (the CLI) while the page is open; then the page is edited.
  changeWithCli(libraryDir, id, (pm) => {
    pm.title = `${original} (changed on the command line)`;
  });
  await title.click();
  await title.addValue(' (typed in the window)');
  const banner = await $(b, 'changed-elsewhere');
  await banner.waitForDisplayed({ timeout: 15000, timeoutMsg: 'the stale save was not reported' });
  assert.match(await text(banner), /Someone else saved this postmortem/);
  assert.equal(
    cliJson(libraryDir, ['show', id]).postmortem.title,
    `${original} (changed on the command line)`,
    'the refused save wrote nothing',
  );
  await settled(b);
  await screenshot('history-changed-elsewhere');

  // Keep mine: the page's version is saved over the newer one.
  await (await $(b, 'keep-mine')).click();
  await until(b, async () => !(await banner.isExisting()), 'the banner stayed after keeping mine');
  await until(
    b,
    async () => cliJson(libraryDir, ['show', id]).postmortem.title === `${original} (typed in the window)`,
    'keeping mine did not save the page',
  );

  // The history: what replaced each version, and the diff against the current one.
  await (await $(b, 'revisions')).click();
  const dialog = await $(b, 'history');
  await dialog.waitForDisplayed({ timeout: 15000, timeoutMsg: 'the history did not open' });
  const kept = cliJson(libraryDir, ['history', id]);
  const versions = await b.$$('[data-testid="history-version"]');
  assert.equal(versions.length, kept.length, 'the dialog lists every revision the CLI lists');
  const importedOver = kept.find((r) => r.replaced_by === 'import');
  assert.ok(importedOver, 'the CLI import kept a revision');
  assert.equal(importedOver.title, original);
  for (const v of versions) {
    if ((await v.getAttribute('data-number')) === String(importedOver.number)) {
      assert.match(await text(v), /Overwritten by an import/);
      await v.click();
    }
  }
  const diff = await $(b, 'history-diff');
  await until(b, async () => (await text(diff)).includes('Title'), 'the diff did not show the title change');
  assert.match(await text(diff), /\(typed in the window\)/);
  await settled(b);
  await screenshot('history-dialog');

  // Restore the original: the page and the store both have it, and the history keeps the rest.
  await (await $(b, 'history-restore')).click();
  await until(b, async () => !(await dialog.isExisting()), 'the dialog stayed open after restoring');
  await until(b, async () => (await title.getValue()) === original, 'the page did not show the restored title');
  assert.equal(cliJson(libraryDir, ['show', id]).postmortem.title, original);
  const after = cliJson(libraryDir, ['history', id]);
  assert.equal(after[0].replaced_by, 'restore');
  assert.equal(after[0].title, `${original} (typed in the window)`, 'the replaced version is kept');
});
