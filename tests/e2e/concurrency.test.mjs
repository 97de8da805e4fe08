// The app and the command line on one library at once: while the window autosaves edits to a
// postmortem, the CLI imports a folder of 200 Markdown postmortems (one long write
// transaction, and the search index's writer). Nothing is lost on either side: every imported
// postmortem is there and found by the window's search, every edit the window saved is
// stored, and `debrief check` finds the database and the index in agreement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cliJson, openPostmortem, root, sampleSession, text, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('concurrency');
const $ = (b, id) => b.$(`[data-testid="${id}"]`);
const IMPORTED = 200;

test('the window and the CLI write the same library at once and lose nothing', async () => {
  const folder = path.join(libraryDir, 'incoming');
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < IMPORTED; i++) {
    writeFileSync(
      path.join(folder, `incident-${i}.md`),
      `# Numbat outage ${i}\n\nDate: 2025-06-${String((i % 28) + 1).padStart(2, '0')}\n\n## Summary\n\nThe numbat queue stalled (${i}).\n\n## Action items\n\n- Add a stall alert (owner: Dana)\n`,
    );
  }
  const before = cliJson(libraryDir, ['list']).length;
  const b = await session();
  const id = cliJson(libraryDir, ['list'])[0].id;
  await openPostmortem(b, id);
  const title = await $(b, 'pm-title');

  // The import runs in its own process while the window edits.
  const importing = new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'import', folder], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the CLI import failed: ${err}`))));
  });
  let last = '';
  for (let n = 1; n <= 8; n++) {
    last = ` edit ${n}`;
    await title.addValue(last);
    await b.pause(250);
  }
  await importing;
  const saved = await $(b, 'save-state');
  await until(b, async () => /^Saved/.test(await text(saved)), 'the window did not save its edits', 30000);

  const stored = cliJson(libraryDir, ['show', id]).postmortem.title;
  assert.ok(stored.endsWith(last), `the last edit was not stored: ${stored}`);
  assert.equal(cliJson(libraryDir, ['list']).length, before + IMPORTED, 'an imported postmortem is missing');
  // The window indexes its last autosave 1.5 s after saving it (the save only queues it), and
  // the CLI cannot index it while the window holds the index's writer: until then `check`
  // rightly reports it queued. What must hold is that the two agree once that has run.
  const checkProblems = () => {
    try {
      return cliJson(libraryDir, ['check']).problems;
    } catch (e) {
      return JSON.parse(e.stdout.toString()).problems; // `check` exits 1 when it finds problems
    }
  };
  let problems = checkProblems();
  for (const deadline = Date.now() + 15000; problems.length > 0 && Date.now() < deadline; problems = checkProblems()) {
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  assert.deepEqual(problems, [], 'the database and the index disagree');

  // The window's search sees what the CLI imported.
  const box = await $(b, 'search-input');
  await box.click();
  await box.setValue('numbat');
  const total = await $(b, 'search-total');
  await until(b, async () => (await total.isExisting()) && /\b200\b/.test(await text(total)), 'the window does not find the imported postmortems');
});
