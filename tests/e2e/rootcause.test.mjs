// Root-cause builders in the real window: a five-step 5-whys chain built from the keyboard
// (with a branch added and taken back by keys), a step turned into an action item (and a second
// click making no second one), causes added to a fishbone in the list and on the drawing, the
// drawn diagram checked against what was typed (in the SVG and in a screenshot of its region),
// each still there after leaving the postmortem and opening it again; a contributing factor
// filed under a root-cause type; blameful wording in a factor marked in place and fixed from
// its tip.
//
// Each test opens a postmortem of its own, made with the CLI before the tests, and checks what
// the app saved with the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { artifacts, centre, changeWithCli, cli, cliJson, openPostmortem, settled, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-rootcause-'));
let app;

/** Postmortems made with the CLI, one per test (none of them shared). */
const pms = {};
const CHAIN = [
  'The payments-api connection pool was exhausted',
  'The pool limit was lowered from 200 to 20',
  'A config refactor renamed the key and the default applied',
  'Helm ignores unknown values keys silently',
  'The shared chart has no values schema',
];

/** A new postmortem made by the CLI; `change` edits its document, which is then imported back. */
function prepare(title, change) {
  const id = cli(libraryDir, ['new', '--title', title, '--severity', 'SEV2']).trim();
  if (change) changeWithCli(libraryDir, id, change);
  return id;
}

before(async () => {
  pms.keyboard = prepare('Checkout 502s after pool change');
  // A five-step chain, each step under the one before, and no action items yet.
  pms.chain = prepare('Checkout 502s after pool change (chain)', (pm) => {
    let parent = null;
    const steps = CHAIN.map((answer) => {
      const step = { id: randomUUID(), parent_id: parent, question: 'Why?', answer, evidence: [] };
      parent = step.id;
      return step;
    });
    pm.whys = [{ id: randomUUID(), problem: 'Checkout returned 502s for 38 minutes', steps }];
  });
  pms.fishbone = prepare('Checkout 502s after pool change (fishbone)');
  pms.factor = prepare('Checkout 502s after pool change (factor)');
  pms.blameful = prepare('Checkout 502s after pool change (wording)');
  app = await startApp(libraryDir);
});
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const text = async (el) => (await el.getProperty('textContent')).trim();
const saved = (id) => cliJson(libraryDir, ['show', id]).postmortem;

/** Waits until the page says its last edit is saved (it says "Unsaved changes" from the edit on). */
async function untilSaved(b, what) {
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), `${what} was not saved`, 20000).catch(async (e) => {
    throw new Error(`${e.message}: the page says "${await text(state)}"`);
  });
}

/** The values of every element matching `selector`, in page order. */
async function values(b, selector) {
  const out = [];
  for (const el of await b.$$(selector)) out.push(await el.getValue());
  return out;
}

/** The box of `el` on the screen. */
const boxOf = (b, el) => b.execute((e) => {
  const r = e.getBoundingClientRect();
  return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height), vh: window.innerHeight };
}, el);

/** [standard deviation, image signature, number of dark ("inked") pixels] of an image. */
function stats(file) {
  const [dev, sig] = execFileSync('identify', ['-format', '%[fx:standard_deviation] %#', file]).toString().split(' ');
  const dark = execFileSync('convert', [file, '-colorspace', 'gray', '-threshold', '55%', '-negate', '-format', '%[fx:mean*w*h]', 'info:']).toString();
  return [Number(dev), sig, Number(dark)];
}

/**
 * Screenshot of the element's on-screen box, cropped with ImageMagick, taken once the element
 * is still in the middle of the window and nothing on the page moves, and again until `shows`
 * holds for its stats (the screen may lag the page by a frame). Returns the file and its stats.
 */
async function shotOf(b, el, name, shows, what) {
  await centre(b, el);
  await settled(b);
  const r = await boxOf(b, el);
  assert.ok(r.y >= 0 && r.y + r.h <= r.vh, `${name}: the element does not fit in the window`);
  const out = path.join(artifacts, `${name}.png`);
  let seen;
  await until(b, async () => {
    const full = screenshot(`${name}-full`);
    execFileSync('convert', [full, '-crop', `${r.w}x${r.h}+${r.x}+${r.y}`, '+repage', out]);
    seen = stats(out);
    return shows(seen);
  }, `${name}: the screen does not show ${what}`).catch((e) => {
    throw new Error(`${e.message} (deviation ${seen?.[0]}, ${seen?.[2]} dark pixels)`);
  });
  assert.deepEqual(await boxOf(b, el), r, `${name}: the element moved while the screen was taken`);
  return { file: out, stats: seen };
}

/**
 * Types into whatever has the keyboard focus, as a user would. Element Send Keys on the
 * focused element: WebKitWebDriver's key actions drop a repeated letter ("pool" -> "pol").
 */
async function type(b, keys) {
  const focused = await b.$(await b.getActiveElement());
  await focused.addValue(keys);
}

/** Waits until the keyboard focus is on the `i`th element matching `selector` in `within`. */
const untilFocusOn = (b, within, selector, i, message) =>
  until(b, () => b.execute((w, sel, n) => document.activeElement === w.querySelectorAll(sel)[n], within, selector, i), message);

/** Waits until the keyboard focus is on the `i`th why answer of the page. */
const untilFocusOnAnswer = (b, i, message) =>
  until(b, () => b.execute((n) => document.activeElement === document.querySelectorAll('[data-testid="why-answer"]')[n], i), message);

test('a five-step chain is built from the keyboard alone, and is there when the postmortem is opened again', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.keyboard);
  assert.equal((await b.$$('[data-testid="why-step"]')).length, 0);
  const problem = await b.$('[data-testid="whys-new-problem"]');
  await centre(b, problem);
  await problem.click();
  await type(b, 'Checkout returned 502s for 38 minutes');
  await type(b, '\uE007'); // Enter: the chain starts and its first answer has the focus
  for (const [i, answer] of CHAIN.entries()) {
    await until(b, async () => (await b.$$('[data-testid="why-answer"]')).length === i + 1, `step ${i + 1} did not appear`);
    await untilFocusOnAnswer(b, i, `step ${i + 1} does not have the focus`);
    await type(b, answer);
    if (i < CHAIN.length - 1) await type(b, '\uE007'); // Enter: the next why, focused
  }
  await until(b, async () => JSON.stringify(await values(b, '[data-testid="why-answer"]')) === JSON.stringify(CHAIN),
    'the typed answers are not in the chain');
  // Each step hangs under the one before: the fifth is nested four levels deep.
  const depth = await b.execute(() => {
    const last = [...document.querySelectorAll('[data-testid="why-step"]')].pop();
    let d = 0;
    for (let n = last?.parentElement; n; n = n.parentElement) if (n.matches('[data-testid="why-step"]')) d++;
    return d;
  });
  assert.equal(depth, 4);

  // Alt+Enter: another cause for the same why, beside the fifth step, with the focus in its answer.
  await type(b, '\uE00A\uE007');
  await until(b, async () => (await b.$$('[data-testid="why-step"]')).length === 6, 'Alt+Enter did not add a cause');
  await untilFocusOnAnswer(b, 5, 'the new cause does not have the focus');
  const siblingOf = await b.execute(() => {
    const answer = document.activeElement;
    const mine = answer?.closest('[data-testid="why-step"]');
    return { field: answer?.getAttribute('data-field'), parent: mine?.parentElement?.closest('[data-testid="why-step"]')?.querySelector('[data-testid="why-answer"]')?.value };
  });
  assert.deepEqual(siblingOf, { field: 'answer', parent: CHAIN[3] });
  // Ctrl+Backspace in the empty answer takes it back; the keyboard returns to the fourth answer.
  await type(b, '\uE009\uE003');
  await until(b, async () => (await b.$$('[data-testid="why-step"]')).length === 5, 'Ctrl+Backspace did not remove the empty step');
  await untilFocusOnAnswer(b, 3, 'the keyboard did not return to the fourth answer');

  await untilSaved(b, 'the chain');
  const [chain] = saved(pms.keyboard).whys;
  assert.equal(chain?.problem, 'Checkout returned 502s for 38 minutes');
  assert.deepEqual(chain.steps.map((s) => s.answer), CHAIN, 'the saved chain is not what was typed');
  for (const [i, s] of chain.steps.entries()) assert.equal(s.parent_id, i === 0 ? null : chain.steps[i - 1].id);
  await settled(b);
  screenshot('whys-chain');

  await openPostmortem(b, pms.keyboard);
  assert.deepEqual(await values(b, '[data-testid="why-answer"]'), CHAIN, 'the chain did not come back');
});

test('a step becomes an action item with one click, and a second click goes to it', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.chain);
  const actionTitles = () => values(b, '[data-testid="action-title"]');
  assert.deepEqual(await actionTitles(), []);
  const third = (await b.$$('[data-testid="why-step"]'))[2];
  const badge = await third.$('[data-testid="step-to-action"]');
  await centre(b, badge);
  await badge.click();
  await until(b, async () => /✓ action item/.test(await text(badge)), 'the step was not marked');
  const expected = `Address: ${CHAIN[2]}`;
  await until(b, async () => JSON.stringify(await actionTitles()) === JSON.stringify([expected]), 'the action item did not appear');

  // Clicking the lit badge again goes to the item (its title gets the focus) instead of making
  // a second one.
  await centre(b, badge);
  await badge.click();
  await until(b, () => b.execute(() => document.activeElement?.getAttribute('data-testid') === 'action-title'),
    'the second click did not go to the action item');
  // An edit made after the click, in the field it focused: once it is saved, anything the click
  // had set off would have been saved with it.
  await type(b, ' in the chart');
  await until(b, async () => (await actionTitles()).includes(`${expected} in the chart`), 'typing did not reach the focused title');
  await untilSaved(b, 'the edit after the second click');
  assert.deepEqual(await actionTitles(), [`${expected} in the chart`], 'the second click made another item');
  const pm = saved(pms.chain);
  assert.deepEqual(pm.action_items.map((a) => a.title), [`${expected} in the chart`]);
  assert.equal(pm.action_items[0].source_step_id, pm.whys[0].steps[2].id, 'the item is not linked to the third step');

  await openPostmortem(b, pms.chain);
  assert.match(await text((await b.$$('[data-testid="step-to-action"]'))[2]), /✓ action item/);
  assert.deepEqual(await actionTitles(), [`${expected} in the chart`]);
});

test('causes typed into a fishbone are drawn on the diagram, and are there when the postmortem is opened again', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.fishbone);
  const addDiagram = await b.$('[data-testid="fishbone-add"]');
  await centre(b, addDiagram);
  await addDiagram.click();
  const diagram = await b.$('[data-testid="fishbone-diagram"] svg');
  await diagram.waitForExist({ timeout: 10000 });
  const empty = await shotOf(b, diagram, 'fishbone-empty', ([dev]) => dev > 0.02, 'the bare diagram');

  const categories = await b.$$('[data-testid="fishbone-category"]');
  const addTechnology = await categories[2].$('[data-testid="fishbone-add-cause"]');
  await centre(b, addTechnology);
  await addTechnology.click();
  const cause = '[data-testid="fishbone-cause-input"]';
  await untilFocusOn(b, categories[2], cause, 0, 'the new cause under Technology does not have the focus');
  await type(b, 'Pool limit lowered to 20');
  await type(b, '\uE007'); // Enter: the next cause in the same category
  await untilFocusOn(b, categories[2], cause, 1, 'Enter did not give a second cause under Technology the focus');
  await type(b, 'Retries without backoff');
  const addConfiguration = await categories[5].$('[data-testid="fishbone-add-cause"]');
  await centre(b, addConfiguration);
  await addConfiguration.click();
  await untilFocusOn(b, categories[5], cause, 0, 'the new cause under Configuration does not have the focus');
  await type(b, 'Unknown values keys ignored');
  // The drawing follows the typing after a short pause: wait for the last letters to arrive.
  const typed = ['Pool limit lowered to 20', 'Retries without backoff', 'Unknown values keys ignored'];
  let drawn = '';
  await until(b, async () => {
    drawn = await text(await b.$('[data-testid="fishbone-diagram"]'));
    return (await b.$$('[data-testid="diagram-cause"]')).length === 3 && typed.every((cause) => drawn.includes(cause));
  }, 'the typed causes did not all reach the drawing', 10000).catch((e) => {
    throw new Error(`${e.message}: ${drawn}`);
  });
  const [, emptySig, emptyInk] = empty.stats;
  // Three causes of 20-odd letters each add several hundred dark pixels of text and rules.
  const filled = await shotOf(b, diagram, 'fishbone-filled', ([dev, sig, ink]) => dev > 0.05 && sig !== emptySig && ink > emptyInk + 400,
    'the three causes drawn');
  assert.ok(filled.stats[2] > emptyInk + 400, `the causes added too little ink (${emptyInk} -> ${filled.stats[2]} dark pixels)`);

  // Clicking a cause on the drawing rewrites it in place.
  const first = (await b.$$('[data-testid="diagram-cause"]'))[0];
  await (await first.$('text')).click();
  const inline = await b.$('.inline-edit');
  await inline.waitForDisplayed({ timeout: 5000 });
  // Send Keys puts the caret at the end: backspace over the old text, then type the new.
  const old = await inline.getValue();
  await inline.addValue('\uE003'.repeat(old.length) + 'Pool limit lowered from 200 to 20\uE007');
  const drawnTexts = async () => {
    const out = [];
    for (const g of await b.$$('[data-testid="diagram-cause"]')) out.push(await g.getAttribute('data-text'));
    return out.sort();
  };
  await until(b, async () => (await drawnTexts()).includes('Pool limit lowered from 200 to 20'), 'the edit on the diagram did not apply', 10000);
  // Clicking a category on the drawing opens an editor on a new cause there.
  const timing = (await b.$$('[data-testid="diagram-category"]'))[4];
  await (await timing.$('text')).click();
  const fresh = await b.$('[data-testid="diagram-inline-edit"]');
  await fresh.waitForDisplayed({ timeout: 5000 });
  await fresh.addValue('Rollout during the evening peak\uE007');
  const expected = ['Pool limit lowered from 200 to 20', 'Retries without backoff', 'Rollout during the evening peak', 'Unknown values keys ignored'];
  await until(b, async () => JSON.stringify(await drawnTexts()) === JSON.stringify(expected), 'the cause typed on the drawing was not drawn', 10000);
  // ... and it is in the structured list under Timing.
  const timingList = (await b.$$('[data-testid="fishbone-category"]'))[4];
  assert.deepEqual(await values(timingList, '[data-testid="fishbone-cause-input"]'), ['Rollout during the evening peak']);
  await untilSaved(b, 'the fishbone');
  const [fishbone] = saved(pms.fishbone).fishbones;
  const causes = Object.fromEntries(fishbone.categories.map((c) => [c.name, c.causes.map((x) => x.text)]));
  assert.deepEqual(causes.Technology, ['Pool limit lowered from 200 to 20', 'Retries without backoff']);
  assert.deepEqual(causes.Timing, ['Rollout during the evening peak']);
  assert.deepEqual(causes.Configuration, ['Unknown values keys ignored']);
  await settled(b);
  screenshot('fishbone-edited');

  await openPostmortem(b, pms.fishbone);
  await until(b, async () => JSON.stringify(await drawnTexts()) === JSON.stringify(expected), 'the diagram did not come back', 10000);
});

test('a contributing factor is filed under a root-cause type from the taxonomy', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.factor);
  assert.equal((await b.$$('[data-testid="factor"]')).length, 0);
  const add = await b.$('[data-testid="factor-add"]');
  await centre(b, add);
  await add.click();
  const factor = await b.$('[data-testid="factor"]');
  const factorText = await factor.$('[data-testid="factor-text"]');
  await factorText.waitForDisplayed({ timeout: 5000 });
  await factorText.addValue('No alert on pool saturation before requests failed');
  // The category field offers the diagram's categories and the library's root-cause types.
  const offered = await b.execute(() => [...document.querySelectorAll('#factor-categories option')].map((o) => o.value));
  assert.ok(offered.includes('Technology'), `fishbone categories are offered: ${offered}`);
  assert.ok(offered.includes('Monitoring gap'), `root-cause types are offered: ${offered}`);
  const category = await factor.$('[data-testid="factor-category"]');
  await category.addValue('Monitoring gap');
  await until(b, async () => (await category.getValue()) === 'Monitoring gap', 'typing did not reach the category');
  await untilSaved(b, 'the factor');
  const factors = saved(pms.factor).contributing_factors;
  assert.deepEqual(factors.map((f) => [f.text, f.category]), [['No alert on pool saturation before requests failed', 'Monitoring gap']]);
});

test('blameful wording in a factor is marked in place and fixed from its tip', async () => {
  const b = app.browser;
  await openPostmortem(b, pms.blameful);
  const add = await b.$('[data-testid="factor-add"]');
  await centre(b, add);
  await add.click();
  const factor = await b.$('[data-testid="factor"]');
  const input = await factor.$('[data-testid="factor-text"]');
  await input.waitForDisplayed({ timeout: 5000 });
  await centre(b, input);
  await input.click();
  await input.addValue('The pool change was human error.');
  await until(b, async () => (await factor.$$('[data-testid="coach-mark"]')).length === 1, 'the phrase was not marked in the factor');
  const mark = (await factor.$$('[data-testid="coach-mark"]'))[0];
  assert.equal(await text(mark), 'human error');
  // The pointer goes to the phrase (the marks let it through to the field) and the tip opens.
  const at = await b.execute((m) => {
    const r = m.getClientRects()[0];
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
  }, mark);
  await b.action('pointer').move({ x: at.x, y: at.y, origin: 'viewport' }).perform();
  const tip = await b.$('[data-testid="coach-tip"]');
  await tip.waitForDisplayed({ timeout: 5000 });
  await (await tip.$('[data-testid="coach-tip-apply"]')).click();
  const fixed = "The pool change was a gap in the system's safeguards.";
  await until(b, async () => (await input.getValue()) === fixed, 'the suggestion was not applied in the factor');
  await untilSaved(b, 'the fix');
  assert.deepEqual(saved(pms.blameful).contributing_factors.map((f) => f.text), [fixed]);
});
