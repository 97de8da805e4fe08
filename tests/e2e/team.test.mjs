// The team library in the real window: a teammate (the CLI on a library of its own) shares the
// sample library through a bare git repository; the app connects to it from the team screen,
// gets every postmortem, then both change one title differently. The app's sync shows the
// conflict, the postmortem page shows both versions side by side, and keeping the teammate's
// settles it everywhere.
//
// Expectations come from the CLI and git, never from numbers written here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { centre, changeWithCli, cli, cliJson, screenshot, settled, startApp, text, until } from './harness.mjs';

const work = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-team-'));
const remote = path.join(work, 'remote.git');
const mine = path.join(work, 'mine');
const teammate = path.join(work, 'teammate');
execFileSync('git', ['init', '--bare', '--quiet', '-b', 'main', remote]);
cli(teammate, ['demo']);
cli(teammate, ['sync', '--remote', remote, '--author', 'Ben Teammate <ben@example.com>']);

let app = null;
after(async () => {
  if (app) await app.stop();
  rmSync(work, { recursive: true, force: true });
});

const badge = (b) => b.$('[data-testid="team-badge"]');

test('connect, sync, and settle a conflict in the window', async () => {
  app = await startApp(mine);
  const b = app.browser;
  const teamBadge = await badge(b);
  await until(b, async () => (await teamBadge.isExisting()) && (await teamBadge.getAttribute('data-state')) === 'not_connected', 'the badge did not say the library is not shared');
  assert.equal(await teamBadge.getAttribute('aria-label'), 'Team library: not shared');

  // Connect from the team screen, committing as Ana.
  await settled(b);
  screenshot('team-start');
  await centre(b, teamBadge);
  await teamBadge.click();
  const url = await b.$('[data-testid="team-url"]');
  await until(b, () => url.isExisting(), 'the team screen did not offer to connect');
  await url.setValue(remote);
  await (await b.$('[data-testid="team-name"]')).setValue('Ana Facilitator');
  await (await b.$('[data-testid="team-email"]')).setValue('ana@example.com');
  await (await b.$('[data-testid="team-connect"]')).click();
  const state = await b.$('[data-testid="team-state"]');
  await until(b, () => state.isExisting(), 'connecting did not show the state', 60000);
  await until(b, async () => (await text(teamBadge)) === 'Up to date', 'the badge did not say up to date', 30000);
  const theirs = cliJson(teammate, ['list']).length;
  assert.equal(cliJson(mine, ['list']).length, theirs, 'every postmortem of the repository came in');
  const report = await b.$('[data-testid="team-report"]');
  assert.match(await text(report), new RegExp(`Received`));
  await settled(b);
  screenshot('team-connected');

  // Both change the same title differently; the teammate syncs first.
  const target = cliJson(mine, ['list'])[0];
  changeWithCli(mine, target.id, (pm) => (pm.title = 'Title as Ana wrote it'));
  changeWithCli(teammate, target.id, (pm) => (pm.title = 'Title as Ben wrote it'));
  cli(teammate, ['sync']);
  await (await b.$('[data-testid="team-sync"]')).click();
  await until(b, async () => (await text(teamBadge)) === '1 conflict', 'the badge did not show the conflict', 30000);
  const link = await b.$('[data-testid="team-conflict-link"]');
  await until(b, () => link.isExisting(), 'the team screen did not list the conflict');
  assert.equal(await text(link), 'Title as Ana wrote it');

  // Both versions side by side on the postmortem; keep Ben's.
  await link.click();
  const panel = await b.$('[data-testid="conflicts-panel"]');
  await until(b, () => panel.isExisting(), 'the postmortem did not show its conflict');
  const versions = await panel.$$('[data-testid="conflict-version"]');
  assert.equal(versions.length, 2);
  assert.match(await text(versions[0]), /by Ana Facilitator.*Title as Ana wrote it/);
  assert.match(await text(versions[1]), /by Ben Teammate.*Title as Ben wrote it/);
  await centre(b, panel);
  await settled(b);
  screenshot('team-conflict');
  await (await versions[1].$('[data-testid="conflict-keep"]')).click();
  await until(b, async () => !(await panel.isExisting()), 'keeping a version did not settle the conflict');
  const title = await b.$('[data-testid="pm-title"]');
  assert.equal(await title.getValue(), 'Title as Ben wrote it');

  // Synced: the teammate gets the choice, and nobody has a conflict left.
  await until(b, async () => (await text(teamBadge)) === '1 to send', 'the choice was not counted as a change to send');
  await teamBadge.click();
  const syncNow = await b.$('[data-testid="team-sync"]');
  await until(b, () => syncNow.isExisting(), 'the team screen did not open');
  await syncNow.click();
  await until(b, async () => (await text(teamBadge)) === 'Up to date', 'the sync did not send the choice', 30000);
  cli(teammate, ['sync']);
  const there = cliJson(teammate, ['show', target.id]).postmortem;
  assert.equal(there.title, 'Title as Ben wrote it');
  assert.equal(there.conflicts, undefined, 'no conflict is left in the teammate’s library');
  const log = execFileSync('git', ['--git-dir', remote, 'log', '--format=%an']).toString();
  assert.match(log, /Ana Facilitator/, 'the app committed with the name given on the team screen');
});
