// Blameless authoring in the real window: a postmortem from a chosen template (the suggestion
// following the severity until the user picks one), the template's guidance beside a section,
// a blameful sentence marked by the language coach with its explanation on hover and the
// suggestion applied with one click, a refused paste naming its line, a two-day Slack export
// imported into the timeline with the durations and the overdue draft appearing, the timeline
// editor, the review workflow's guards, reviewers and history, and a user template copied,
// edited (with the core's refusal shown beside the field), used and deleted.
//
// Each test opens a postmortem of its own, made with the CLI before the tests (the Slack export
// imported by the CLI where a test needs a timeline), and checks what the app saved with the CLI.
// The export is of September 2026: its draft was due then, so it is late whatever today is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { centre, changeWithCli, cli, cliJson, home, openPostmortem, root, settled, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-authoring-'));
const slackDir = path.join(root, 'tests/fixtures/e2e/slack-inc-search');
const slackFiles = ['2026-09-03.json', '2026-09-04.json'].map((f) => path.join(slackDir, f));
const TITLE = 'Search latency after shard count change';
let app;

/** Postmortems made with the CLI, one per test that needs one. */
const pms = {};

/** A new SEV1 postmortem of the incident in the Slack export, made by the CLI (see `prepare`). */
function prepare(title, { timeline = false, change = null } = {}) {
  const id = cli(libraryDir, ['new', '--title', title, '--severity', 'SEV1', '--date', '2026-09-03']).trim();
  if (timeline) cli(libraryDir, ['timeline', id, '--import', slackDir]);
  if (change) changeWithCli(libraryDir, id, change);
  return id;
}

before(async () => {
  pms.coach = prepare(TITLE);
  pms.paste = prepare(`${TITLE} (paste)`);
  pms.slack = prepare(`${TITLE} (Slack)`);
  pms.late = prepare(`${TITLE} (late draft)`, { timeline: true });
  pms.editor = prepare(`${TITLE} (timeline editor)`, { timeline: true });
  pms.review = prepare(`${TITLE} (review)`, {
    timeline: true,
    change: (pm) => {
      pm.sections.find((s) => s.key === 'summary').body = 'Search p99 rose above 2 s for 50 minutes after a shard count change; a rollback restored it.';
    },
  });
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

// textContent: WebKitWebDriver's rendered-text atom reads some flex labels as empty.
const text = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
const $ = (b, id) => b.$(`[data-testid="${id}"]`);
const saved = (id) => cliJson(libraryDir, ['show', id]);
/** The rows of a table's body, each as its cells' texts joined by single spaces. */
const rowTexts = (b, el) =>
  b.execute((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')), el);
/** The texts of several elements (an element list's own map is asynchronous). */
async function texts(list) {
  const out = [];
  for (const el of list) out.push(await text(el));
  return out;
}

/** Waits until the page says its last edit is saved. */
async function untilSaved(b, what) {
  const state = await $(b, 'save-state');
  await until(b, async () => (await text(state)).startsWith('Saved'), `${what} was not saved`, 20000).catch(async (e) => {
    throw new Error(`${e.message}: the page says "${await text(state)}"`);
  });
}

/** Opens the timeline's import dialog on the tab `tab`. */
async function importDialog(b, tab) {
  const open = await $(b, 'timeline-import');
  await centre(b, open);
  await open.click();
  await (await $(b, `import-tab-${tab}`)).click();
  await until(b, async () => (await (await $(b, `import-tab-${tab}`)).getAttribute('aria-selected')) === 'true', `the ${tab} tab did not open`);
}

test('a new postmortem takes the template the user chose', async () => {
  const b = app.browser;
  await home(b);
  await (await $(b, 'new-postmortem')).click();
  const title = await $(b, 'new-title');
  await title.waitForDisplayed({ timeout: 10000 });
  await title.setValue('Search latency after a replica change');
  const template = await $(b, 'new-template');
  // The suggestion follows the severity...
  await (await $(b, 'new-severity')).selectByAttribute('value', 'SEV3');
  await until(b, async () => (await template.getValue()) === 'Light (SEV3/SEV4)', 'SEV3 did not suggest the light template');
  await (await $(b, 'new-severity')).selectByAttribute('value', 'SEV1');
  await until(b, async () => (await template.getValue()) === 'Standard blameless', 'SEV1 did not suggest the standard template');
  // ...until the user picks one.
  await template.selectByAttribute('value', 'Google SRE style');
  await (await $(b, 'new-severity')).selectByAttribute('value', 'SEV2');
  await (await $(b, 'new-severity')).selectByAttribute('value', 'SEV1');
  const hint = await $(b, 'new-template-hint');
  await until(b, async () => /Use the one suggested for SEV1: Standard blameless/.test(await text(hint)), 'the hint does not offer the suggestion for SEV1');
  assert.equal(await template.getValue(), 'Google SRE style', 'a picked template was replaced by the suggestion');
  await settled(b);
  screenshot('authoring-new');
  await (await $(b, 'new-create')).click();

  const page = await $(b, 'postmortem-page');
  await (await page.$('[data-testid="pm-title"]')).waitForDisplayed({ timeout: 10000 });
  const made = saved(await page.getAttribute('data-id')).postmortem;
  assert.deepEqual([made.title, made.severity, made.template], ['Search latency after a replica change', 'SEV1', 'Google SRE style']);
  const lucky = await $(b, 'section-where_we_got_lucky');
  await lucky.waitForExist({ timeout: 10000 });
  assert.match(await text(lucky), /Where we got lucky/);
  // The template's guidance and prompts stand beside the section being written.
  const guide = await $(b, 'section-guide-summary');
  await guide.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(guide), /What did users experience\?/);
  assert.match(await text(await $(b, 'header-coach-count')), /Blameless language/);
});

test('a blameful sentence is marked, explained on hover and fixed with one click', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.coach);
  const header = await $(b, 'header-coach-count');
  assert.match(await text(header), /Blameless language/);
  const section = await $(b, 'section-summary');
  await (await $(b, 'section-write-summary')).click();
  const input = await $(b, 'section-input-summary');
  await input.waitForDisplayed({ timeout: 10000 });
  await centre(b, input);
  await input.click();
  const sentence = 'Bob should have checked the config before the rollout. The root cause was human error.';
  await input.addValue(sentence);
  await until(b, async () => (await input.getValue()) === sentence, 'typing did not reach the summary');

  // Both phrases are marked in the layer over the editor, and counted in the page header.
  await until(b, async () => (await section.$$('[data-testid="coach-mark"]')).length >= 2, 'the phrases were not marked');
  const marks = await section.$$('[data-testid="coach-mark"]');
  const marked = await texts(marks);
  assert.ok(marked.some((t) => /should/.test(t)), `"should have checked" is not marked: ${marked}`);
  assert.ok(marked.includes('human error'), `"human error" is not marked: ${marked}`);
  await until(b, async () => /^\d+ phrases to reconsider$/.test(await text(header)), 'the header does not count the findings');
  const before = Number((await text(header)).split(' ')[0]);
  assert.ok(before >= 2, `the header counts ${before} phrases`);
  // The coach panel names the field of each finding.
  const panel = await $(b, 'coach-panel');
  // (The quotation marks around each phrase are drawn by CSS, not part of the text.)
  assert.match(await text(panel), /Summary human error "Human error is not the cause/);
  assert.match(await text(panel), /Summary should have checked Hindsight/);

  // Hovering the marked phrase explains it and offers the rewording.
  const humanError = marks[marked.indexOf('human error')];
  await centre(b, input);
  // The marks let the pointer through to the editor, so the pointer goes to the phrase's place
  // (the middle of its first line box: a phrase can wrap onto the next line).
  const at = await b.execute((m) => {
    const r = m.getClientRects()[0];
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
  }, humanError);
  await b.action('pointer').move({ x: at.x, y: at.y, origin: 'viewport' }).perform();
  const tip = await $(b, 'coach-tip');
  await tip.waitForDisplayed({ timeout: 5000 });
  assert.match(await text(tip), /Dekker/);
  assert.match(await text(tip), /Replace with “a gap in the system's safeguards”/);
  await settled(b);
  screenshot('coach-hover');

  await (await tip.$('[data-testid="coach-tip-apply"]')).click();
  const fixed = "Bob should have checked the config before the rollout. The root cause was a gap in the system's safeguards.";
  await until(b, async () => (await input.getValue()) === fixed, 'the suggestion was not applied');
  await until(b, async () => Number((await text(header)).split(' ')[0]) === before - 1, 'the count did not drop');
  await untilSaved(b, 'the fix');
  assert.equal(saved(pms.coach).postmortem.sections.find((s) => s.key === 'summary').body, fixed);
  // "should have checked" has no literal fix: the panel shows the suggestion only.
  let cards = 0;
  for (const card of await panel.$$('[data-testid="coach-finding"]')) {
    if (/should have checked/.test(await text(card))) {
      cards++;
      assert.equal((await card.$$('[data-testid="coach-apply"]')).length, 0);
      assert.match(await text(card), /Try: Describe what was known at the time/);
    }
  }
  assert.ok(cards > 0, '"should have checked" is not in the panel');
  await settled(b);
  screenshot('coach-applied');
});

test('an unreadable pasted line is named and nothing is added', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.paste);
  await importDialog(b, 'lines');
  // Enter, not "\n": WebKitWebDriver drops a newline character sent as text.
  await (await $(b, 'import-text')).addValue(['23:41 Config change rolled out', 'the indexer looked slow', '23:52 Alert fires'].join('\uE007'));
  await (await $(b, 'import-preview-btn')).click();
  const error = await $(b, 'import-error');
  try {
    await error.waitForDisplayed({ timeout: 10000 });
  } catch (e) {
    screenshot('timeline-import-error-missing');
    throw e;
  }
  assert.match(await text(error), /line 2/);
  assert.match(await text(error), /Nothing was added/);
  assert.equal(await (await $(b, 'import-add')).isExisting(), false);
  await settled(b);
  screenshot('timeline-import-error');
  await (await (await b.$('dialog[open]')).$('button=Cancel')).click();
  await until(b, async () => !(await b.$('dialog[open]').isExisting()), 'the dialog did not close');
  assert.equal((await b.$$('[data-testid="timeline-event"]')).length, 0);
  assert.deepEqual(saved(pms.paste).postmortem.timeline, []);
});

test('a two-day Slack export imports into the timeline and the durations appear', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.slack);
  const durations = await $(b, 'durations');
  assert.doesNotMatch(await text(durations), /11m/);
  assert.equal(await (await $(b, 'header-draft-overdue')).isExisting(), false);
  await importDialog(b, 'slack');
  await (await $(b, 'import-files')).addValue(slackFiles.join('\n'));
  await until(b, async () => /2 files/.test(await text(await b.$('dialog[open]'))), 'the two files were not read');
  await (await $(b, 'import-preview-btn')).click();
  const preview = await $(b, 'import-preview');
  await preview.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(preview), /8 events read/, 'the join message is skipped, the bot alert kept');
  const rows = await rowTexts(b, await preview.$('table'));
  assert.equal(rows.length, 8);
  assert.match(rows[0], /^2 2026-09-03 23:41 Trigger Jonas Berg: Config change rolled out to search-indexer/);
  assert.match(rows[2], /Acknowledged Nadia Rahman: ack, looking at the search dashboard$/, 'Slack links are tidied to their labels');
  assert.match(rows[7], /2026-09-04 00:31 Resolution Nadia Rahman: p99 under 300 ms/);
  await settled(b);
  screenshot('timeline-import');
  await (await $(b, 'import-add')).click();
  await until(b, async () => (await b.$$('[data-testid="timeline-event"]')).length === 8, 'the events were not added');
  // Deploy 23:41, alert 23:52, ack 23:55, rollback 00:09, resolved 00:31.
  await until(b, async () => /Time to detect 11m/.test(await text(durations)), 'time to detect did not appear', 15000);
  assert.match(await text(durations), /Time to acknowledge 3m/);
  assert.match(await text(durations), /Time to mitigate 17m/);
  assert.match(await text(durations), /Time to resolve 39m/);
  assert.match(await text(durations), /Impact duration 50m/);
  // Resolved in September 2026, still a draft: the draft is late (due 48 hours after resolution).
  await (await $(b, 'header-draft-overdue')).waitForDisplayed({ timeout: 10000 });
  assert.match(await text(await $(b, 'draft-due')), /Draft due 6 Sept? 2026 00:31 UTC overdue by \d+ days?/);
  await untilSaved(b, 'the imported timeline');
  const view = saved(pms.slack);
  assert.equal(view.postmortem.timeline.length, 8);
  assert.deepEqual(view.durations, { time_to_detect_min: 11, time_to_acknowledge_min: 3, time_to_mitigate_min: 17, time_to_resolve_min: 39, impact_duration_min: 50 });
  assert.deepEqual([view.requirement.draft_due, view.requirement.draft_overdue], ['2026-09-06T00:31:00Z', true]);
  await centre(b, await $(b, 'timeline-panel'));
  await settled(b);
  screenshot('timeline-imported');
});

test('the library flags the late draft', async () => {
  const b = app.browser;
  await home(b);
  assert.equal(cliJson(libraryDir, ['list']).find((r) => r.id === pms.late).draft_overdue, true);
  const row = await b.$(`[data-testid="pm-row"][data-id="${pms.late}"]`);
  await row.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(row), /Search latency after shard count change \(late draft\)/);
  assert.match(await text(await row.$('[data-testid="draft-overdue"]')), /draft late/);
  // The others made before the tests have no resolution on their timeline: not late.
  const onTime = await b.$(`[data-testid="pm-row"][data-id="${pms.paste}"]`);
  assert.equal(await onTime.$('[data-testid="draft-overdue"]').isExisting(), false);
  await openPostmortem(b, pms.late);
  await (await $(b, 'header-draft-overdue')).waitForDisplayed({ timeout: 10000 });
});

test('the timeline editor adds, marks and deletes an event', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.editor);
  const events = () => b.$$('[data-testid="timeline-event"]');
  assert.equal((await events()).length, 8);
  const add = await $(b, 'timeline-add');
  await centre(b, add);
  await add.click();
  await until(b, async () => (await events()).length === 9, 'no event was added');
  const added = (await events())[8];
  const input = await added.$('[data-testid="timeline-text"]');
  await input.addValue('The on-call engineer forgot to silence the duplicate alert');
  await until(b, async () => (await added.$$('[data-testid="coach-mark"]')).length > 0, 'the timeline text was not marked');
  // "engineer forgot" (a role as the subject) and "forgot to" overlap: one marked run.
  assert.equal((await texts(await added.$$('[data-testid="coach-mark"]'))).join(' '), 'engineer forgot to');
  await centre(b, added);
  await settled(b);
  screenshot('timeline-editor');
  const remove = await added.$('button[aria-label="Delete event 9"]');
  await centre(b, remove);
  await remove.click();
  await until(b, async () => (await events()).length === 8, 'the event was not deleted');
  assert.match(await text(await $(b, 'durations')), /Time to detect 11m/);
  await untilSaved(b, 'the timeline');
  const timeline = saved(pms.editor).postmortem.timeline;
  assert.equal(timeline.length, 8);
  assert.ok(!timeline.some((e) => /forgot/.test(e.text)), 'the deleted event was saved');
});

test('review needs a reviewer, Final the required sections, and each move is recorded', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.review);
  const panel = await $(b, 'review-panel');
  await centre(b, panel);
  // Who the history records.
  await (await $(b, 'review-me-change')).click();
  const me = await panel.$('input[id$="-me"]');
  await me.waitForDisplayed({ timeout: 5000 });
  await me.clearValue();
  await me.addValue('Sam Okafor\uE007');
  await until(b, async () => /recorded as Sam Okafor/.test(await text(await $(b, 'review-me'))), 'the name was not kept');

  await (await $(b, 'status-in_review')).click();
  const error = await $(b, 'status-error');
  await error.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(error), /Not moved: name at least one reviewer/);
  assert.equal(await (await $(b, 'status-draft')).getAttribute('aria-pressed'), 'true');
  assert.equal(saved(pms.review).postmortem.status, 'draft');

  const reviewers = await panel.$('input[aria-label="Reviewers"]');
  await reviewers.click();
  await reviewers.addValue('Nadia Rahman\uE007');
  await (await $(b, 'status-in_review')).click();
  const history = await $(b, 'status-history');
  await history.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(history), /Draft → In review by Sam Okafor/);
  assert.equal(await (await $(b, 'status-in_review')).getAttribute('aria-pressed'), 'true');
  assert.match(await text(await $(b, 'requirement')), /Postmortem required SEV1 incident/);
  // In review: no longer an overdue draft, but on the record as submitted late.
  assert.match(await text(await $(b, 'draft-due')), /submitted \d+ days? late/);
  assert.equal(await (await $(b, 'header-draft-overdue')).isExisting(), false);
  const moved = saved(pms.review).postmortem;
  assert.deepEqual([moved.status, moved.reviewers], ['in_review', ['Nadia Rahman']]);
  assert.deepEqual(moved.status_history.map((h) => [h.from, h.to, h.by]), [['draft', 'in_review', 'Sam Okafor']]);

  // Final needs the template's required sections: the core refuses and names them.
  const required = await $(b, 'required-sections');
  assert.match(await text(required), /1 of \d+ required sections written/);
  await (await $(b, 'status-final')).click();
  await until(b, async () => /Final needs the required sections written: Impact/.test(await text(await $(b, 'status-error'))),
    'the refusal does not name the missing sections');
  assert.equal(await (await $(b, 'status-in_review')).getAttribute('aria-pressed'), 'true');
  assert.equal(saved(pms.review).postmortem.status, 'in_review');
  await settled(b);
  screenshot('review');
});

test('a user template is copied, edited, offered for new postmortems and deleted', async () => {
  const b = app.browser;
  /** Clicks `el` once it is at rest in view (the editor scrolls smoothly to what changed). */
  const press = async (el) => {
    await centre(b, el);
    await el.click();
  };
  await home(b);
  await (await $(b, 'nav-templates')).click();
  await (await $(b, 'templates-view')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="template-item"][data-name="Standard blameless"]')).click();
  await press(await $(b, 'template-copy'));
  const name = await $(b, 'template-name');
  await name.waitForDisplayed({ timeout: 10000 });
  assert.equal(await name.getValue(), 'Standard blameless (copy)');
  await name.clearValue();
  await name.addValue('Payments team review');
  const before = (await b.$$('[data-testid="template-section"]')).length;
  await press(await $(b, 'template-add-section'));
  const heading = await b.$(`input[aria-label="Heading of section ${before + 1}"]`);
  await heading.waitForExist({ timeout: 5000 });
  await heading.clearValue();
  await heading.addValue('Customer communication');
  const added = (await b.$$('[data-testid="template-section"]'))[before];
  const key = await added.$('input[id^="k-"]');
  await until(b, async () => (await key.getValue()) === 'customer_communication', 'the key did not follow the heading');
  // Move it up one place, above "Lessons learned". Adding a section smooth-scrolls to it: the
  // button is clicked once it has come to rest.
  const up = await b.$(`button[aria-label="Move section ${before + 1} up"]`);
  await centre(b, up);
  await up.click();
  const moved = await b.$(`input[aria-label="Heading of section ${before}"]`);
  await until(b, async () => (await moved.getValue()) === 'Customer communication', 'the section did not move up');

  // A key the core refuses: its message stands beside the field.
  const movedKey = (await b.$$('[data-testid="template-section"]'))[before - 1];
  const keyInput = await movedKey.$('input[id^="k-"]');
  await keyInput.clearValue();
  await keyInput.addValue('Customer comms');
  await press(await $(b, 'template-save'));
  const refusal = await movedKey.$('.field-error');
  await refusal.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(refusal), /Lowercase letters, digits and _|must be lowercase letters/);
  assert.equal(await b.$('[data-testid="template-item"][data-name="Payments team review"]').isExisting(), false, 'the refused template was saved');
  await keyInput.clearValue();
  await keyInput.addValue('customer_comms');
  await press(await $(b, 'template-save'));
  await (await $(b, 'template-saved')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="template-item"][data-name="Payments team review"]')).waitForExist({ timeout: 10000 });
  await settled(b);
  screenshot('templates');

  await (await $(b, 'new-postmortem')).click();
  const select = await $(b, 'new-template');
  await select.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(select), /Payments team review/);
  await (await b.$('button=Cancel')).click();
  await until(b, async () => !(await b.$('dialog[open]').isExisting()), 'the dialog did not close');

  await press(await $(b, 'template-delete'));
  await press(await $(b, 'template-confirm-delete'));
  await until(b, async () => !(await b.$('[data-testid="template-item"][data-name="Payments team review"]').isExisting()),
    'the template was not deleted');
});
