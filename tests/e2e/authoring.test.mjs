// Blameless authoring in the real window: a postmortem from a chosen template (the suggestion
// following the severity until the user picks one), the template's guidance beside a section,
// a blameful sentence marked by the language coach with its explanation on hover and the
// suggestion applied with one click, a refused paste naming its line, a two-day Slack export
// imported into the timeline with the durations and the overdue draft appearing, the timeline
// editor, the review workflow's guards, reviewers and history, and a user template copied,
// edited (with the core's refusal shown beside the field), used and deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-authoring-'));
const slackDir = path.join(root, 'tests/fixtures/e2e/slack-inc-search');
const slackFiles = ['2026-09-03.json', '2026-09-04.json'].map((f) => path.join(slackDir, f));
let app;

before(async () => { app = await startApp(libraryDir); });
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

// textContent: WebKitWebDriver's rendered-text atom reads some flex labels as empty.
const text = async (el) => (await el.getProperty('textContent')).replace(/\s+/g, ' ').trim();
const $ = (b, id) => b.$(`[data-testid="${id}"]`);
/** The rows of a table's body, each as its cells' texts joined by single spaces. */
const rowTexts = (b, el) =>
  b.execute((t) => [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent.trim()).join(' ')), el);
/** The texts of several elements (an element list's own map is asynchronous). */
async function texts(list) {
  const out = [];
  for (const el of list) out.push(await text(el));
  return out;
}
const scrollTo = (b, el) => b.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), el);

test('a new postmortem takes the template the user chose', async () => {
  const b = app.browser;
  const create = await $(b, 'new-postmortem');
  await create.waitForDisplayed({ timeout: 30000 });
  await create.click();
  const title = await $(b, 'new-title');
  await title.waitForDisplayed({ timeout: 10000 });
  await title.setValue('Search latency after shard count change');
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
  assert.equal(await template.getValue(), 'Google SRE style', 'a picked template was replaced by the suggestion');
  assert.match(await text(await $(b, 'new-template-hint')), /Use the one suggested for SEV1: Standard blameless/);
  await b.pause(300);
  screenshot('authoring-new');
  await (await $(b, 'new-create')).click();

  await (await $(b, 'pm-title')).waitForDisplayed({ timeout: 10000 });
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
  const section = await $(b, 'section-summary');
  let input = await $(b, 'section-input-summary');
  if (!(await input.isExisting())) {
    await (await section.$('button=Write')).click();
    input = await $(b, 'section-input-summary');
  }
  await input.waitForDisplayed({ timeout: 10000 });
  await input.click();
  await input.addValue('Bob should have checked the config before the rollout. The root cause was human error.');

  // Both phrases are marked in the layer over the editor, and counted in the page header.
  await until(b, async () => (await section.$$('[data-testid="coach-mark"]')).length >= 2, 'the phrases were not marked');
  const marks = await section.$$('[data-testid="coach-mark"]');
  const marked = await texts(marks);
  assert.ok(marked.some((t) => /should/.test(t)), `"should have checked" is not marked: ${marked}`);
  assert.ok(marked.includes('human error'), `"human error" is not marked: ${marked}`);
  const header = await $(b, 'header-coach-count');
  await until(b, async () => /^[3-9] phrases to reconsider$/.test(await text(header)), 'the header does not count the findings');
  const before = Number((await text(header)).split(' ')[0]);
  // The coach panel names the field of each finding.
  const panel = await $(b, 'coach-panel');
  // (The quotation marks around each phrase are drawn by CSS, not part of the text.)
  assert.match(await text(panel), /Summary human error "Human error is not the cause/);
  assert.match(await text(panel), /Summary should have checked Hindsight/);

  // Hovering the marked phrase explains it and offers the rewording.
  const humanError = marks[marked.indexOf('human error')];
  await scrollTo(b, input);
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
  await b.pause(400);
  screenshot('coach-hover');

  await (await tip.$('[data-testid="coach-tip-apply"]')).click();
  await until(b, async () => !(await input.getValue()).includes('human error'), 'the suggestion was not applied');
  assert.match(await input.getValue(), /The root cause was a gap in the system's safeguards\./);
  assert.match(await input.getValue(), /^Bob should have checked the config/, 'the rest of the text changed');
  await until(b, async () => Number((await text(header)).split(' ')[0]) === before - 1, 'the count did not drop');
  const state = await $(b, 'save-state');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'the fix was not saved', 20000);
  // "should have checked" has no literal fix: the panel shows the suggestion only.
  const remaining = await panel.$$('[data-testid="coach-finding"]');
  for (const card of remaining) {
    if (/should have checked/.test(await text(card))) {
      assert.equal((await card.$$('[data-testid="coach-apply"]')).length, 0);
      assert.match(await text(card), /Try: Describe what was known at the time/);
    }
  }
  await b.pause(400);
  screenshot('coach-applied');
});

test('an unreadable pasted line is named and nothing is added', async () => {
  const b = app.browser;
  await (await $(b, 'timeline-import')).click();
  await (await $(b, 'import-tab-lines')).click();
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
  await b.pause(300);
  screenshot('timeline-import-error');
});

test('a two-day Slack export imports into the timeline and the durations appear', async () => {
  const b = app.browser;
  const durations = await $(b, 'durations');
  assert.doesNotMatch(await text(durations), /11m/);
  await (await $(b, 'import-tab-slack')).click();
  await (await $(b, 'import-files')).addValue(slackFiles.join('\n'));
  await until(b, async () => /2 files/.test(await text(await b.$('.modal, [role="dialog"]'))), 'the two files were not read');
  await (await $(b, 'import-preview-btn')).click();
  const preview = await $(b, 'import-preview');
  await preview.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(preview), /8 events read/, 'the join message is skipped, the bot alert kept');
  const rows = await rowTexts(b, await preview.$('table'));
  assert.equal(rows.length, 8);
  assert.match(rows[0], /^2 2026-09-03 23:41 Trigger Jonas Berg: Config change rolled out to search-indexer/);
  assert.match(rows[2], /Acknowledged Nadia Rahman: ack, looking at the search dashboard$/, 'Slack links are tidied to their labels');
  assert.match(rows[7], /2026-09-04 00:31 Resolution Nadia Rahman: p99 under 300 ms/);
  await b.pause(400);
  screenshot('timeline-import');
  await (await $(b, 'import-add')).click();
  await until(b, async () => (await b.$$('[data-testid="timeline-event"]')).length === 8, 'the events were not added');
  // Deploy 23:41, alert 23:52, ack 23:55, rollback 00:09, resolved 00:31.
  await until(b, async () => /Time to detect 11m/.test(await text(durations)), 'time to detect did not appear', 15000);
  assert.match(await text(durations), /Time to acknowledge 3m/);
  assert.match(await text(durations), /Time to mitigate 17m/);
  assert.match(await text(durations), /Time to resolve 39m/);
  assert.match(await text(durations), /Impact duration 50m/);
  // Resolved in September, still a draft: the draft is late (due 48 hours after resolution).
  await (await $(b, 'header-draft-overdue')).waitForDisplayed({ timeout: 10000 });
  assert.match(await text(await $(b, 'draft-due')), /Draft due 6 Sept? 2026 00:31 UTC overdue by \d+ days/);
  const panel = await $(b, 'timeline-panel');
  await scrollTo(b, panel);
  await b.pause(500);
  screenshot('timeline-imported');
});

test('the library flags the late draft', async () => {
  const b = app.browser;
  await (await $(b, 'back-to-library')).click();
  const row = await b.$('[data-testid="pm-row"]');
  await row.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(row), /Search latency after shard count change/);
  assert.match(await text(await row.$('[data-testid="draft-overdue"]')), /draft late/);
  await (await row.$('td:nth-child(3)')).click();
  await (await $(b, 'pm-title')).waitForDisplayed({ timeout: 10000 });
});

test('the timeline editor adds, marks and deletes an event', async () => {
  const b = app.browser;
  const events = () => b.$$('[data-testid="timeline-event"]');
  await until(b, async () => (await events()).length === 8, 'the timeline did not load');
  await (await $(b, 'timeline-add')).click();
  await until(b, async () => (await events()).length === 9, 'no event was added');
  const added = (await events())[8];
  const input = await added.$('[data-testid="timeline-text"]');
  await input.addValue('The on-call engineer forgot to silence the duplicate alert');
  await until(b, async () => (await added.$$('[data-testid="coach-mark"]')).length > 0, 'the timeline text was not marked');
  // "engineer forgot" (a role as the subject) and "forgot to" overlap: one marked run.
  assert.equal((await texts(await added.$$('[data-testid="coach-mark"]'))).join(' '), 'engineer forgot to');
  await scrollTo(b, added);
  await b.pause(400);
  screenshot('timeline-editor');
  await (await added.$('button[aria-label="Delete event 9"]')).click();
  await until(b, async () => (await events()).length === 8, 'the event was not deleted');
  const durations = await $(b, 'durations');
  assert.match(await text(durations), /Time to detect 11m/);
});

test('review needs a reviewer, Final the required sections, and each move is recorded', async () => {
  const b = app.browser;
  const panel = await $(b, 'review-panel');
  await scrollTo(b, panel);
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
  assert.match(await text(await $(b, 'draft-due')), /submitted \d+ days late/);
  assert.equal(await (await $(b, 'header-draft-overdue')).isExisting(), false);

  // Final needs the template's required sections: the core refuses and names them.
  const required = await $(b, 'required-sections');
  assert.match(await text(required), /1 of \d+ required sections written/);
  await (await $(b, 'status-final')).click();
  await until(b, async () => /Final needs the required sections written: Impact/.test(await text(await $(b, 'status-error'))),
    'the refusal does not name the missing sections');
  assert.equal(await (await $(b, 'status-in_review')).getAttribute('aria-pressed'), 'true');
  await b.pause(400);
  screenshot('review');
});

test('a user template is copied, edited, offered for new postmortems and deleted', async () => {
  const b = app.browser;
  await (await $(b, 'nav-templates')).click();
  await (await $(b, 'templates-view')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="template-item"][data-name="Standard blameless"]')).click();
  await (await $(b, 'template-copy')).click();
  const name = await $(b, 'template-name');
  await name.waitForDisplayed({ timeout: 10000 });
  assert.equal(await name.getValue(), 'Standard blameless (copy)');
  await name.clearValue();
  await name.addValue('Payments team review');
  const before = (await b.$$('[data-testid="template-section"]')).length;
  await (await $(b, 'template-add-section')).click();
  const heading = await b.$(`input[aria-label="Heading of section ${before + 1}"]`);
  await heading.clearValue();
  await heading.addValue('Customer communication');
  const added = (await b.$$('[data-testid="template-section"]'))[before];
  const key = await added.$('input[id^="k-"]');
  assert.equal(await key.getValue(), 'customer_communication', 'the key did not follow the heading');
  // Move it up one place, above "Lessons learned".
  // (Adding a section smooth-scrolls to it; stop the scroll first so the click lands.)
  const up = await b.$(`button[aria-label="Move section ${before + 1} up"]`);
  await scrollTo(b, up);
  await b.pause(200);
  await up.click();
  const moved = await b.$(`input[aria-label="Heading of section ${before}"]`);
  await until(b, async () => (await moved.getValue()) === 'Customer communication', 'the section did not move up');

  // A key the core refuses: its message stands beside the field.
  const movedKey = (await b.$$('[data-testid="template-section"]'))[before - 1];
  const keyInput = await movedKey.$('input[id^="k-"]');
  await keyInput.clearValue();
  await keyInput.addValue('Customer comms');
  await (await $(b, 'template-save')).click();
  const refusal = await movedKey.$('.field-error');
  await refusal.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(refusal), /Lowercase letters, digits and _|must be lowercase letters/);
  await keyInput.clearValue();
  await keyInput.addValue('customer_comms');
  await (await $(b, 'template-save')).click();
  await (await $(b, 'template-saved')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="template-item"][data-name="Payments team review"]')).waitForExist({ timeout: 10000 });
  await b.pause(400);
  screenshot('templates');

  await (await $(b, 'new-postmortem')).click();
  const select = await $(b, 'new-template');
  await select.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(select), /Payments team review/);
  await (await b.$('button=Cancel')).click();

  await (await $(b, 'template-delete')).click();
  await (await $(b, 'template-confirm-delete')).click();
  await until(b, async () => !(await b.$('[data-testid="template-item"][data-name="Payments team review"]').isExisting()),
    'the template was not deleted');
});
