// Blameless authoring in the real window: a postmortem from a chosen template, a blameful
// sentence flagged by the language coach and fixed with one click, a Slack export imported
// into the timeline with durations appearing, and the review workflow's guard and history.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-authoring-'));
const slackExport = path.join(root, 'tests/fixtures/slack/2026-10-12.json');
let app;

before(async () => { app = await startApp(libraryDir); });
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const text = async (el) => (await el.getProperty('textContent')).trim();

test('a postmortem starts from the chosen template', async () => {
  const b = app.browser;
  const create = await b.$('[data-testid="new-postmortem"]');
  await create.waitForDisplayed({ timeout: 30000 });
  await create.click();
  const title = await b.$('[data-testid="new-title"]');
  await title.waitForDisplayed({ timeout: 10000 });
  await title.setValue('Payments 5xx after pool change');
  await (await b.$('[data-testid="new-template"]')).selectByAttribute('value', 'Google SRE style');
  await (await b.$('[data-testid="new-create"]')).click();
  await (await b.$('[data-testid="pm-title"]')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="section-where_we_got_lucky"]')).waitForExist({ timeout: 10000 });
  assert.match(await text(await b.$('[data-testid="section-where_we_got_lucky"]')), /Where we got lucky/);
});

test('a blameful sentence is flagged and one click applies the suggestion', async () => {
  const b = app.browser;
  const section = await b.$('[data-testid="section-summary"]');
  let input = await b.$('[data-testid="section-input-summary"]');
  if (!(await input.isExisting())) {
    await (await section.$('button=Write')).click();
    input = await b.$('[data-testid="section-input-summary"]');
  }
  await input.waitForDisplayed({ timeout: 10000 });
  await input.click();
  await input.addValue('\nThe root cause was human error during the deploy.');
  const findings = await b.$('[data-testid="section-findings-summary"]');
  await findings.waitForExist({ timeout: 10000 });
  assert.match(await text(findings), /human error/);
  const count = await b.$('[data-testid="coach-count"]');
  assert.ok(Number(await text(count)) >= 1, 'the coach panel counts the finding');
  // The phrase is marked in the layer drawn behind the editor.
  const marks = await section.$$('mark.flag');
  assert.ok(marks.length >= 1, 'the phrase is underlined in the editor');
  await b.pause(700); // let the window paint before the screenshot
  screenshot('coach-flagged');

  await (await findings.$('[data-testid="coach-apply"]')).click();
  await until(b, async () => !(await input.getValue()).includes('human error'), 'the suggestion was not applied');
  assert.match(await input.getValue(), /a gap in the system's safeguards/);
  await until(b, async () => !(await b.$('[data-testid="section-findings-summary"]').isExisting()),
    'the finding did not clear after applying the suggestion');
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'the fix was not saved', 20000);
});

test('a Slack export imports into the timeline and the durations appear', async () => {
  const b = app.browser;
  const durations = await b.$('[data-testid="durations"]');
  assert.doesNotMatch(await text(durations), /6m/);
  await (await b.$('[data-testid="timeline-import"]')).click();
  await (await b.$('[data-testid="import-tab-slack"]')).click();
  await (await b.$('[data-testid="import-files"]')).addValue(slackExport);
  await (await b.$('[data-testid="import-preview-btn"]')).click();
  const preview = await b.$('[data-testid="import-preview"]');
  await preview.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(preview), /6 events read/);
  assert.match(await text(preview), /Connection pool exhausted/);
  await b.pause(500);
  screenshot('timeline-import');
  await (await b.$('[data-testid="import-add"]')).click();
  await until(b, async () => (await b.$$('[data-testid="timeline-event"]')).length === 6, 'the events were not added');
  // Detected 6 minutes after the deploy started, acknowledged 3 minutes later, resolved at 31.
  await until(b, async () => /Time to detect\s*6m/.test(await text(durations)), 'time to detect did not appear', 15000);
  assert.match(await text(durations), /Time to acknowledge\s*3m/);
  assert.match(await text(durations), /Impact duration\s*31m/);
  await (await b.$('[data-testid="timeline-panel"]')).scrollIntoView();
  await b.pause(500);
  screenshot('timeline-imported');
});

test('review needs a reviewer, and each move is recorded', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="status-in_review"]')).click();
  const error = await b.$('[data-testid="status-error"]');
  await error.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(error), /reviewer/i);
  assert.equal(await (await b.$('[data-testid="status-draft"]')).getAttribute('aria-pressed'), 'true');

  const reviewers = await b.$('input[aria-label="Reviewers"]');
  await reviewers.click();
  await reviewers.addValue('Nadia Rahman\uE007');
  await (await b.$('[data-testid="status-in_review"]')).click();
  const history = await b.$('[data-testid="status-history"]');
  await history.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(history), /Draft → In review/);
  assert.equal(await (await b.$('[data-testid="status-in_review"]')).getAttribute('aria-pressed'), 'true');
  assert.match(await text(await b.$('[data-testid="requirement"]')), /Postmortem required/);
  assert.match(await text(await b.$('[data-testid="draft-due"]')), /Draft due/);
  await b.pause(500);
  screenshot('review');
});

test('a user template is copied, edited, offered for new postmortems and deleted', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="nav-templates"]')).click();
  await (await b.$('[data-testid="templates-view"]')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="template-item"][data-name="Standard blameless"]')).click();
  await (await b.$('[data-testid="template-copy"]')).click();
  const name = await b.$('[data-testid="template-name"]');
  await name.waitForDisplayed({ timeout: 10000 });
  assert.equal(await name.getValue(), 'Standard blameless (copy)');
  await name.clearValue();
  await name.addValue('Payments team review');
  const before = (await b.$$('[data-testid="template-section"]')).length;
  await (await b.$('[data-testid="template-add-section"]')).click();
  const heading = await b.$(`input[aria-label="Heading of section ${before + 1}"]`);
  await heading.clearValue();
  await heading.addValue('Customer communication');
  assert.match(await text(await b.$$('[data-testid="template-section"]').then((l) => l[before])), /key: customer_communication/);
  await (await b.$('[data-testid="template-save"]')).click();
  await (await b.$('[data-testid="template-saved"]')).waitForDisplayed({ timeout: 10000 });
  await (await b.$('[data-testid="template-item"][data-name="Payments team review"]')).waitForExist({ timeout: 10000 });
  await b.pause(400);
  screenshot('templates');

  await (await b.$('[data-testid="new-postmortem"]')).click();
  const select = await b.$('[data-testid="new-template"]');
  await select.waitForDisplayed({ timeout: 10000 });
  assert.match(await text(select), /Payments team review/);
  await (await b.$('button=Cancel')).click();

  await (await b.$('[data-testid="template-delete"]')).click();
  await (await b.$('[data-testid="template-confirm-delete"]')).click();
  await until(b, async () => !(await b.$('[data-testid="template-item"][data-name="Payments team review"]').isExisting()),
    'the template was not deleted');
});
