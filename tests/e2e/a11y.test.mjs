// Accessibility in the real window: axe-core, given the WCAG 2 A and AA rules, finds nothing on
// any screen (the library, search, a postmortem, the meeting, the action-item board, Insights,
// the taxonomy, templates, the team library, backups, and the dialogs: new postmortem, the
// command palette, the shortcut sheet, About) in either theme.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { cli, cliJson, home, openPostmortem, settled, startApp, screenshot, until } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-a11y-'));
let app;

before(async () => {
  cli(libraryDir, ['demo']);
  app = await startApp(libraryDir);
  await (await app.browser.$('[data-testid="list-count"]')).waitForExist({ timeout: 30000 });
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

/** axe's WCAG 2 A and AA violations on the page as it is now, one line per element. */
async function violations(b, screen) {
  await settled(b);
  // The page's CSP forbids eval; a script WebDriver runs is not subject to it, so axe's source
  // goes in as one (once: the app never reloads its page).
  if (!(await b.execute(() => Boolean(window.axe)))) await b.execute(`${axeSource}\n;return true;`);
  const found = await b.executeAsync(
    (done) => {
      window.axe
        .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] })
        .then((r) => done(r.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${(n.failureSummary ?? '').split('\n').slice(1).join(' ').trim()})`))))
        .catch((e) => done([`axe failed: ${e}`]));
    },
  );
  return found.map((f) => `${screen}: ${f}`);
}

/** Runs a palette action by typing its words (the palette's first choice). */
async function act(b, query) {
  await b.keys(['Control', 'Shift', 'p']);
  const input = await b.$('[data-testid="palette-input"]');
  await input.waitForDisplayed({ timeout: 10000 });
  await input.setValue(query);
  await until(b, async () => (await input.getValue()) === query, 'the palette did not take the query');
  await input.addValue('\uE007');
  await until(b, async () => !(await input.isExisting()), 'the palette did not close');
}

/** Every screen and dialog, each checked where it stands; returns what axe found. */
async function everyScreen(b, theme) {
  const found = [];
  const check = async (screen) => found.push(...(await violations(b, `${theme} ${screen}`)));
  const ids = cliJson(libraryDir, ['list']).map((p) => p.id);

  await home(b);
  await check('library');
  const input = await b.$('[data-testid="search-input"]');
  await input.click();
  await input.setValue('certificate');
  await until(b, async () => (await (await b.$('[data-testid="search-results"]')).getAttribute('data-query')) === 'certificate', 'no results');
  await check('search');
  await home(b);
  await openPostmortem(b, ids[1]);
  await check('postmortem');
  await (await b.$('[data-testid="run-meeting"]')).click();
  await (await b.$('[data-testid="meeting-page"]')).waitForDisplayed({ timeout: 15000 });
  await check('meeting');
  await act(b, 'go action items');
  await (await b.$('[data-testid="actions-board"]')).waitForDisplayed({ timeout: 15000 });
  await check('action items');
  await act(b, 'go insights');
  await (await b.$('[data-testid="insights"]')).waitForDisplayed({ timeout: 30000 });
  await check('insights');
  await (await b.$('[data-testid="manage-taxonomy"]')).click();
  await (await b.$('[data-testid="taxonomy"]')).waitForDisplayed({ timeout: 15000 });
  await check('taxonomy');
  await act(b, 'go templates');
  await (await b.$('[data-testid="templates-view"]')).waitForDisplayed({ timeout: 15000 });
  await check('templates');
  await act(b, 'go team library');
  await (await b.$('[data-testid="team-view"]')).waitForDisplayed({ timeout: 15000 });
  await check('team library');
  await act(b, 'go backups');
  await (await b.$('[data-testid="backups-view"]')).waitForDisplayed({ timeout: 15000 });
  await check('backups');
  await act(b, 'go library');
  await act(b, 'new postmortem');
  await (await b.$('[data-testid="new-title"]')).waitForDisplayed({ timeout: 10000 });
  await check('new postmortem dialog');
  await b.keys(['Escape']);
  await b.keys(['Control', 'Shift', 'p']);
  await (await b.$('[data-testid="palette-input"]')).waitForDisplayed({ timeout: 10000 });
  await check('command palette');
  await b.keys(['Escape']);
  await act(b, 'keyboard shortcuts');
  await (await b.$('[data-testid="shortcut-sheet"]')).waitForDisplayed({ timeout: 10000 });
  await check('shortcut sheet');
  await b.keys(['Escape']);
  await act(b, 'about');
  await (await b.$('[data-testid="about-version"]')).waitForDisplayed({ timeout: 10000 });
  await check('about');
  await b.keys(['Escape']);
  return found;
}

for (const theme of ['light', 'dark']) {
  test(`axe finds no WCAG 2 A or AA violation on any screen, ${theme} theme`, async () => {
    const b = app.browser;
    await act(b, `theme ${theme}`);
    await until(b, async () => (await b.execute(() => document.documentElement.dataset.theme)) === theme, `the theme did not turn ${theme}`);
    const found = await everyScreen(b, theme);
    if (found.length > 0) screenshot(`a11y-${theme}`);
    assert.deepEqual(found, [], `axe found ${found.length}:\n${found.join('\n')}`);
  });
}

test('Tab moves through the library with a visible focus on every stop', async () => {
  const b = app.browser;
  await home(b);
  await b.execute(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
  const stops = [];
  for (let i = 0; i < 25; i++) {
    await b.keys(['Tab']);
    stops.push(
      await b.execute(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return { what: 'body', visible: false };
        // A ring on the control, or on the box around it (the search field draws its ring on
        // its wrapper, :focus-within).
        const ringOn = (node) => {
          const s = getComputedStyle(node);
          return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
        };
        const ring = ringOn(el) || (el.parentElement !== null && ringOn(el.parentElement));
        const what = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} ${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}`;
        return { what, visible: Boolean(ring) };
      }),
    );
  }
  const reached = stops.filter((s) => s.what !== 'body');
  assert.ok(reached.length >= 20, `Tab reached ${reached.length} controls`);
  const unseen = reached.filter((s) => !s.visible).map((s) => s.what);
  assert.deepEqual(unseen, [], `focus is not visible on: ${unseen.join(', ')}`);
  for (const what of ['new-postmortem', 'search-input']) {
    assert.ok(reached.some((s) => s.what.includes(`[${what}]`)), `Tab never reached ${what}: ${reached.map((s) => s.what).join(' | ')}`);
  }
});
