// Facilitation mode in the real window: a short meeting run through every step from the
// postmortem's page. The agenda is planned (minutes, a step skipped and brought back), the
// clock started and paused from the keyboard, attendees added and their turns counted with one
// key each (with the nudge when one voice takes most turns), the live coach reading the
// private notes, a question dismissed, a timeline event, a section, a why, a fishbone cause and
// an action item captured in place, a topic parked; the audience window opened and checked to
// show the current step and never the notes; the meeting finished, feedback given, the summary
// exported; and everything found in the postmortem afterwards with the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { answerDialog, centre, changeWithCli, cli, cliJson, openPostmortem, screenshot, settled, startApp, text, until as untilRaw } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-meeting-'));
let app;
let pmId;
const NOTE = 'Why did you skip the canary? Ask Lee privately';

before(async () => {
  pmId = cli(libraryDir, ['new', '--title', 'Checkout 502s after pool change', '--severity', 'SEV2', '--date', '2025-11-25', '--template', 'Standard blameless']).trim();
  changeWithCli(libraryDir, pmId, (pm) => {
    const at = (t) => `2025-11-25T${t}:00Z`;
    pm.timeline = [
      { id: randomUUID(), at: at('14:00'), approximate: false, kind: 'action', marker: null, text: 'Pool size config deployed' },
      { id: randomUUID(), at: at('14:05'), approximate: false, kind: 'detection', marker: 'detected', text: '5xx alert fires' },
      { id: randomUUID(), at: at('14:31'), approximate: false, kind: 'mitigation', marker: 'mitigated', text: 'Config rolled back' },
    ];
  });
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const $ = (b, id) => b.$(`[data-testid="${id}"]`);

/** `until`, and when it times out, what the window showed: a screenshot and the state in words. */
async function until(b, fn, message, timeout) {
  try {
    await untilRaw(b, fn, message, timeout);
  } catch (e) {
    screenshot('meeting-failed');
    const state = await b
      .execute(() => {
        const t = (sel) => document.querySelector(sel)?.textContent?.replace(/\s+/g, ' ').trim() ?? '-';
        const f = document.activeElement;
        return `step "${t('[data-testid="meeting-step-title"]')}", focus on ${f?.tagName} ${f?.getAttribute('data-testid') ?? ''}, save "${t('[data-testid="save-state"]')}", notices "${t('[data-testid="error-banner"]')}"`;
      })
      .catch(() => 'the window did not answer');
    throw new Error(`${e.message} (${state})`);
  }
}
const stepTitle = async (b) => text(await $(b, 'meeting-step-title'));
/** Presses keys on the page itself (nothing focused), as the facilitator would. */
async function press(b, ...keys) {
  await b.execute(() => (document.activeElement instanceof HTMLElement ? document.activeElement.blur() : undefined));
  for (const k of keys) await b.keys(k);
}
async function untilStep(b, title) {
  await until(b, async () => (await stepTitle(b)) === title, `the meeting is not at "${title}"`);
}
async function click(b, id) {
  const el = await $(b, id);
  await el.waitForExist({ timeout: 10000, timeoutMsg: `${id} is not on the page` });
  await centre(b, el);
  await el.click();
}
async function typeInto(b, el, value) {
  await centre(b, el);
  await el.click();
  await el.addValue(value);
}
/** Opens the audience window from the presenter and switches to it; returns its handle. */
async function openAudience(b, presenter) {
  await click(b, 'meeting-audience');
  let audience = null;
  await until(b, async () => {
    audience = (await b.getWindowHandles()).find((h) => h !== presenter) ?? null;
    return audience !== null;
  }, 'the audience window did not open');
  await b.switchToWindow(audience);
  return audience;
}

/** Closes the audience window with the presenter's button (the presenter is the current window). */
async function closeAudience(b) {
  await click(b, 'meeting-audience');
  await until(b, async () => (await b.getWindowHandles()).length === 1, 'the audience window did not close');
  await until(b, async () => (await (await $(b, 'meeting-audience')).getAttribute('aria-pressed')) === 'false', "the presenter's button did not hear the audience window close");
}

async function untilSaved(b, what) {
  const state = await $(b, 'save-state');
  await until(b, async () => (await text(state)).startsWith('Saved'), `${what} was not saved`, 20000);
}
const saved = () => cliJson(libraryDir, ['show', pmId]).postmortem;
/** The texts of every element matching `selector`, in page order. */
async function texts(b, selector) {
  const out = [];
  for (const el of await b.$$(selector)) out.push(await text(el));
  return out;
}

test('a meeting runs through every step and everything said is in the postmortem afterwards', async () => {
  const b = app.browser;
  await openPostmortem(b, pmId);
  await click(b, 'run-meeting');
  await (await $(b, 'meeting-page')).waitForExist({ timeout: 15000 });
  await untilStep(b, 'Ground rules');
  const rules = await $(b, 'ground-rules');
  assert.match(await text(rules), /We examine what happened, not who is at fault/);

  // Plan: ground rules get 1 minute; lessons are skipped, then brought back.
  const steps = await b.$$('[data-testid="agenda-step"]');
  assert.equal(steps.length, 7);
  const minutes = await steps[0].$('[data-testid="step-minutes"]');
  await b.execute((el) => {
    el.value = '1';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, minutes);
  await until(b, async () => (await text(await $(b, 'agenda-current-clock'))) === '1:00', 'the minutes did not change');
  const lessonsSkip = await steps[5].$('[data-testid="step-skip"]');
  await centre(b, lessonsSkip);
  await lessonsSkip.click();
  await until(b, async () => (await steps[5].getAttribute('class')).includes('skipped'), 'lessons were not skipped');
  await lessonsSkip.click();
  await until(b, async () => !(await steps[5].getAttribute('class')).includes('skipped'), 'lessons did not come back');

  // The agenda is kept for the template (the stored one, with the minute just changed).
  await click(b, 'save-plan');
  await until(b, async () => /The next meetings on "Standard blameless" postmortems follow this agenda/.test(await text(await $(b, 'info-banner')).catch(() => '')),
    'keeping the agenda was not confirmed');

  // Start from the keyboard.
  await press(b, ' ');
  await until(b, async () => (await text(await $(b, 'meeting-toggle'))) === 'Pause', 'Space did not start the meeting');

  // Attendees and the tally.
  for (const [name, role] of [['Sofia Alvarez', 'incident_commander'], ['Lee Park', 'subject_matter_expert']]) {
    await typeInto(b, await $(b, 'attendee-name'), name);
    await (await $(b, 'attendee-role')).selectByAttribute('value', role);
    await click(b, 'attendee-add');
    await until(b, async () => (await b.$$(`[data-testid="attendee-spoke"][data-name="${name}"]`)).length === 1, `${name} was not added`);
  }
  await press(b, '1', '1', '1', '1', '1', '2');
  // Space on a focused button presses the button; it does not start or pause the meeting.
  const tally = await b.$('[data-testid="attendee-spoke"][data-name="Lee Park"]');
  await b.execute((el) => el.focus(), tally);
  await b.keys(' ');
  const turns = () => texts(b, '[data-testid="attendee-turns"]');
  await until(b, async () => JSON.stringify(await turns()) === '["5","2"]', 'the keys did not count the turns');
  assert.equal(await text(await $(b, 'meeting-toggle')), 'Pause', 'Space on a focused button paused the meeting');
  assert.match(await text(await $(b, 'voice-nudge')), /Sofia Alvarez has taken 5 of 7 turns/);

  // The coach reads the private notes as they are typed.
  await typeInto(b, await $(b, 'meeting-notes'), NOTE);
  await until(b, async () => (await b.$$('[data-testid="notes-finding"]')).length > 0, 'the coach did not read the notes');
  assert.match(await text((await b.$$('[data-testid="notes-finding"]'))[0]), /why did you/i);

  // A question dismissed goes away.
  const prompts = async () => (await b.$$('[data-testid="meeting-prompt"]')).length;
  const before = await prompts();
  const dismiss = (await b.$$('[data-testid="prompt-dismiss"]'))[0];
  await centre(b, dismiss);
  await dismiss.click();
  await until(b, async () => (await prompts()) === before - 1, 'the question was not dismissed');

  // Full screen, and back.
  await click(b, 'meeting-fullscreen');
  await until(b, async () => (await (await $(b, 'meeting-fullscreen')).getAttribute('aria-pressed')) === 'true', 'the presenter did not go full screen');
  await click(b, 'meeting-fullscreen');
  await until(b, async () => (await (await $(b, 'meeting-fullscreen')).getAttribute('aria-pressed')) === 'false', 'the presenter did not leave full screen');

  // One screen for everyone: large type, the private notes and questions hidden.
  await click(b, 'meeting-single');
  await until(b, async () => !(await $(b, 'meeting-notes').isExisting()), 'one-screen mode still shows the notes');
  assert.ok(!(await $(b, 'meeting-prompts').isExisting()), 'one-screen mode still shows the questions');
  await settled(b);
  screenshot('meeting-one-screen');
  await click(b, 'meeting-single');
  await (await $(b, 'meeting-notes')).waitForExist({ timeout: 5000 });
  assert.equal(await (await $(b, 'meeting-notes')).getValue(), NOTE, 'the notes did not come back');

  // Timeline, with questions from its markers; an event captured in place.
  await press(b, 'ArrowRight');
  await untilStep(b, 'Timeline, told forward');
  const promptTexts = await texts(b, '[data-testid="meeting-prompt"]');
  assert.ok(promptTexts.some((t) => t.startsWith('At 14:05 5xx alert fires; what did the dashboards show then?')), promptTexts.join('\n'));
  await click(b, 'timeline-add');
  await until(b, async () => (await b.$$('[data-testid="timeline-event"]')).length === 4, 'no event was added');
  const event = (await b.$$('[data-testid="timeline-event"]'))[3];
  await typeInto(b, await event.$('[data-testid="timeline-text"]'), 'Dashboards showed pool saturation');
  await untilSaved(b, 'the timeline event');
  // After a save the presenter reads its meeting again once (the checklist follows the
  // document), not over and over: count the reads while the page sits still.
  const reads = await b.execute(async () => {
    const internals = window.__TAURI_INTERNALS__;
    const original = internals.invoke;
    let n = 0;
    internals.invoke = (cmd, ...rest) => {
      if (cmd === 'get_meeting') n++;
      return original(cmd, ...rest);
    };
    await new Promise((done) => setTimeout(done, 2000));
    internals.invoke = original;
    return n;
  });
  assert.ok(reads <= 1, `the meeting was read ${reads} times in 2 s with nothing changing`);
  await settled(b);
  screenshot('meeting-presenter');

  // The audience window shows the current step and never the notes. (Under Xvfb it opens over
  // the presenter's window; it is closed again while the presenter is clicked through.)
  const presenter = await b.getWindowHandle();
  const audience = await openAudience(b, presenter);
  await until(b, async () => (await b.$('[data-testid="audience-step"]').isExisting()) && (await text(await b.$('[data-testid="audience-step"]'))) === 'Timeline, told forward',
    'the audience window does not show the current step');
  await until(b, async () => /Dashboards showed pool saturation/.test(await text(await b.$('[data-testid="audience-timeline"]'))), 'the captured event is not on the shared screen');
  const audienceText = await b.execute(() => document.body.innerText);
  assert.ok(!audienceText.includes('canary') && !audienceText.includes('Ask Lee'), 'the private notes reached the audience window');
  assert.ok(!audienceText.includes('what did the dashboards show then'), "the facilitator's questions reached the audience window");
  await settled(b);
  screenshot('meeting-audience');
  await b.switchToWindow(presenter);
  await closeAudience(b);

  // Went well: a section written in place.
  await press(b, 'ArrowRight');
  await untilStep(b, 'Went well, went poorly, got lucky');
  const wentWell = await b.$('[data-testid="section-went_well"] textarea');
  await typeInto(b, wentWell, 'The rollback took two minutes once we chose it.');
  await untilSaved(b, 'what went well');

  // Park a topic: it moves on to the factors.
  await typeInto(b, await $(b, 'park-topic'), 'Who owns pool sizing?');
  await click(b, 'park-submit');
  await untilStep(b, 'Contributing factors');
  assert.match(await text(await $(b, 'parked-count')), /1 in the parking lot/);

  // A why and a fishbone cause.
  await typeInto(b, await $(b, 'whys-new-problem'), 'Checkout returned 502s for 26 minutes');
  await b.keys('Enter');
  await until(b, async () => (await b.$$('[data-testid="why-answer"]')).length === 1, 'the chain did not start');
  await (await b.$('[data-testid="why-answer"]')).addValue('The pool limit was lowered from 200 to 20');
  await click(b, 'fishbone-add');
  await (await b.$('[data-testid="fishbone-diagram"] svg')).waitForExist({ timeout: 10000 });
  const category = (await b.$$('[data-testid="fishbone-category"]'))[2];
  const addCause = await category.$('[data-testid="fishbone-add-cause"]');
  await centre(b, addCause);
  await addCause.click();
  await until(b, () => b.execute(() => document.activeElement?.getAttribute('data-testid') === 'fishbone-cause-input'), 'the new cause has no focus');
  await (await b.$('[data-testid="fishbone-cause-input"]')).addValue('Retries without backoff');
  await untilSaved(b, 'the why and the cause');

  // An action item.
  await press(b, 'ArrowRight');
  await untilStep(b, 'Action items');
  // Pressed from the keyboard: under heavy load a synthesized click on this button was seen to
  // focus it without clicking it (twice in about ten runs, never by hand).
  const addItem = await $(b, 'action-add');
  await centre(b, addItem);
  await b.execute((el) => el.focus(), addItem);
  await b.keys('Enter');
  await until(b, async () => (await b.$$('[data-testid="action-item"]')).length === 1, 'no action item was added');
  await until(b, () => b.execute(() => document.activeElement?.getAttribute('data-testid') === 'action-title'), 'the new item has no focus');
  await (await b.$('[data-testid="action-title"]')).addValue('Validate pool settings against a schema in CI');
  await untilSaved(b, 'the action item');

  // Lessons, then the wrap-up with its checklist.
  await press(b, 'ArrowRight');
  await untilStep(b, 'Lessons learned');
  await press(b, 'ArrowRight');
  await untilStep(b, 'Wrap-up');
  const check = async (rule) => b.$(`[data-testid="closing-check"][data-rule="${rule}"]`).getAttribute('data-met');
  assert.equal(await check('owners_and_dates'), 'false', 'an item without owner or date passed');
  assert.equal(await check('follow_up'), 'false');
  const date = await $(b, 'follow-up-date');
  await b.execute((el) => {
    el.value = '2025-12-09';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, date);
  await until(b, async () => (await check('follow_up')) === 'true', 'the follow-up date did not meet its rule');
  // "Fix it" on the owners rule goes to the action items step.
  const fix = await b.$('[data-testid="closing-check"][data-rule="owners_and_dates"] [data-testid="closing-check-fix"]');
  await centre(b, fix);
  await fix.click();
  await untilStep(b, 'Action items');
  // The item's first field takes the focus (keys typed there stay there); then back to the meeting.
  await until(b, () => b.execute(() => document.activeElement?.closest('[data-testid="action-item"]') !== null), 'Fix it did not focus the item');
  await press(b, 'ArrowRight', 'ArrowRight');
  await untilStep(b, 'Wrap-up');

  // Opened again at the wrap-up: it shows the parking lot, and follows the presenter's keys.
  const shared = await openAudience(b, presenter);
  const audienceStep = async () => text(await b.$('[data-testid="audience-step"]'));
  await until(b, async () => (await b.$('[data-testid="audience-step"]').isExisting()) && (await audienceStep()) === 'Wrap-up', 'the audience window does not show the wrap-up');
  assert.match(await text(await b.$('[data-testid="audience-parked"]')), /Who owns pool sizing\?/);
  await settled(b);
  screenshot('meeting-audience-wrap-up');
  await b.switchToWindow(presenter);
  await press(b, 'ArrowLeft');
  await untilStep(b, 'Lessons learned');
  await b.switchToWindow(shared);
  await until(b, async () => (await audienceStep()) === 'Lessons learned', 'the audience window did not follow the presenter');
  await b.switchToWindow(presenter);
  await press(b, 'ArrowRight');
  await untilStep(b, 'Wrap-up');
  await b.switchToWindow(shared);
  await until(b, async () => (await audienceStep()) === 'Wrap-up', 'the audience window did not follow back');
  await b.switchToWindow(presenter);
  await closeAudience(b);

  // Pause, finish, feedback, summary.
  await press(b, ' ');
  await until(b, async () => (await text(await $(b, 'meeting-toggle'))) === 'Resume', 'Space did not pause');
  await click(b, 'meeting-finish');
  await click(b, 'meeting-finish-yes');
  await (await $(b, 'meeting-feedback')).waitForExist({ timeout: 10000, timeoutMsg: 'no feedback form after finishing' });
  assert.ok(await $(b, 'meeting-new').isExisting(), 'a finished meeting offers a new one');
  for (const [i, answer] of [[0, 'yes'], [1, 'somewhat'], [2, 'yes']]) await click(b, `feedback-${i}-${answer}`);
  await click(b, 'feedback-send');
  await until(b, async () => /1 answered/.test(await text(await $(b, 'meeting-feedback'))), 'the feedback was not stored');
  await settled(b);
  screenshot('meeting-finished');
  const summary = path.join(libraryDir, 'summary.md');
  await answerDialog(b, summary);
  await click(b, 'export-summary-md');
  await until(b, async () => { try { return readFileSync(summary, 'utf8').length > 0; } catch { return false; } }, 'the summary was not written');
  const md = readFileSync(summary, 'utf8');
  for (const needle of ['Sofia Alvarez', 'Lee Park', 'Who owns pool sizing?', 'Validate pool settings against a schema in CI']) assert.ok(md.includes(needle), `${needle} is not in the summary:\n${md}`);
  assert.ok(!md.includes('canary'), 'the private notes are in the summary');

  // The finished meeting opens again from the postmortem, for late feedback and the summary.
  await click(b, 'meeting-back');
  await click(b, 'run-meeting');
  await until(b, async () => (await $(b, 'meeting-feedback').isExisting()) && /1 answered/.test(await text(await $(b, 'meeting-feedback'))),
    'the finished meeting did not open again');

  // Insights counts the feedback.
  await click(b, 'nav-insights');
  await until(b, async () => (await $(b, 'feedback-counts').isExisting()) && /1 meeting finished, 1 with feedback/.test(await text(await $(b, 'feedback-counts'))),
    'Insights does not count the meeting feedback');

  // Everything is in the postmortem.
  const pm = saved();
  assert.ok(pm.timeline.some((e) => e.text === 'Dashboards showed pool saturation'), 'the event is not in the postmortem');
  assert.equal(pm.sections.find((s) => s.key === 'went_well')?.body, 'The rollback took two minutes once we chose it.');
  assert.ok(pm.whys.some((c) => c.steps.some((s) => s.answer === 'The pool limit was lowered from 200 to 20')), 'the why is not in the postmortem');
  const causes = pm.fishbones.flatMap((f) => f.categories.flatMap((c) => c.causes.map((x) => x.text)));
  assert.ok(causes.includes('Retries without backoff'), `the cause is not in the postmortem: ${causes}`);
  assert.ok(pm.action_items.some((a) => a.title === 'Validate pool settings against a schema in CI'), 'the action item is not in the postmortem');
  const people = pm.participants.map((p) => `${p.name}: ${p.role}`);
  assert.deepEqual(people.filter((p) => /Sofia|Lee/.test(p)), ['Sofia Alvarez: Incident commander', 'Lee Park: Subject-matter expert']);
});
