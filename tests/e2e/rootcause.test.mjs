// Root-cause builders in the real window: a five-step 5-whys chain built from the keyboard
// (with a branch added and taken back by keys), a step turned into an action item, causes
// added to a fishbone in the list and on the drawing, the drawn diagram checked against what
// was typed (in the SVG and in a screenshot of its region), and all of it still there after
// leaving the postmortem and opening it again; a contributing factor filed under a root-cause
// type; blameful wording in a factor marked in place and fixed from its tip.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { artifacts, root, startApp, screenshot, until } from './harness.mjs';

const libraryDir = mkdtempSync(path.join(os.tmpdir(), 'debrief-e2e-rootcause-'));
let app;

before(async () => { app = await startApp(libraryDir); });
after(async () => {
  if (app) await app.stop();
  rmSync(libraryDir, { recursive: true, force: true });
});

const text = async (el) => (await el.getProperty('textContent')).trim();

/** Screenshot of the element's on-screen box, cropped with ImageMagick; returns its file. */
async function shotOf(b, el, name) {
  const box = () => b.execute((e) => {
    const r = e.getBoundingClientRect();
    return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height), vh: window.innerHeight };
  }, el);
  await b.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), el);
  // Wait for the box to settle inside the window (a re-layout or a late scroll moves it).
  let r = await box();
  await until(b, async () => {
    await b.pause(300);
    const again = await box();
    const same = JSON.stringify(again) === JSON.stringify(r);
    r = again;
    return same && r.y >= 0 && r.y + r.h <= r.vh;
  }, `${name}: the element did not come to rest inside the window`);
  const full = screenshot(`${name}-full`);
  assert.deepEqual(await box(), r, `${name}: the element moved while the screen was taken`);
  const out = path.join(artifacts, `${name}.png`);
  execFileSync('convert', [full, '-crop', `${r.w}x${r.h}+${r.x}+${r.y}`, '+repage', out]);
  return out;
}

/**
 * Types into whatever has the keyboard focus, as a user would. Element Send Keys on the
 * focused element: WebKitWebDriver's key actions drop a repeated letter ("pool" -> "pol").
 */
async function type(b, keys) {
  const focused = await b.$(await b.getActiveElement());
  await focused.addValue(keys);
}

/** [standard deviation, image signature, number of dark ("inked") pixels] of an image. */
function stats(file) {
  const [dev, sig] = execFileSync('identify', ['-format', '%[fx:standard_deviation] %#', file]).toString().split(' ');
  const dark = execFileSync('convert', [file, '-colorspace', 'gray', '-threshold', '55%', '-negate', '-format', '%[fx:mean*w*h]', 'info:']).toString();
  return [Number(dev), sig, Number(dark)];
}

test('a five-step chain is built from the keyboard alone', async () => {
  const b = app.browser;
  const create = await b.$('[data-testid="new-postmortem"]');
  await create.waitForDisplayed({ timeout: 30000 });
  await create.click();
  await (await b.$('[data-testid="new-title"]')).setValue('Checkout 502s after pool change');
  await (await b.$('[data-testid="new-create"]')).click();
  await (await b.$('[data-testid="pm-title"]')).waitForDisplayed({ timeout: 10000 });

  const problem = await b.$('[data-testid="whys-new-problem"]');
  await problem.scrollIntoView({ block: 'center' });
  await problem.click();
  const answers = [
    'The payments-api connection pool was exhausted',
    'The pool limit was lowered from 200 to 20',
    'A config refactor renamed the key and the default applied',
    'Helm ignores unknown values keys silently',
    'The shared chart has no values schema',
  ];
  await type(b, 'Checkout returned 502s for 38 minutes');
  await type(b, '\uE007'); // Enter: the chain starts and its first answer has the focus
  for (const [i, answer] of answers.entries()) {
    await until(b, async () => (await b.$$('[data-testid="why-answer"]')).length === i + 1, `step ${i + 1} did not appear`);
    await type(b, answer);
    if (i < answers.length - 1) await type(b, '\uE007'); // Enter: the next why, focused
  }
  const steps = await b.$$('[data-testid="why-step"]');
  assert.equal(steps.length, 5);
  const values = [];
  for (const a of await b.$$('[data-testid="why-answer"]')) values.push(await a.getValue());
  assert.deepEqual(values, answers);
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
  const siblingOf = await b.execute(() => {
    const answer = document.activeElement;
    const mine = answer?.closest('[data-testid="why-step"]');
    return { field: answer?.getAttribute('data-field'), parent: mine?.parentElement?.closest('[data-testid="why-step"]')?.querySelector('[data-testid="why-answer"]')?.value };
  });
  assert.deepEqual(siblingOf, { field: 'answer', parent: answers[3] });
  // Ctrl+Backspace in the empty answer takes it back; the keyboard returns to the fourth answer.
  await type(b, '\uE009\uE003');
  await until(b, async () => (await b.$$('[data-testid="why-step"]')).length === 5, 'Ctrl+Backspace did not remove the empty step');
  assert.equal(await b.execute(() => document.activeElement?.value), answers[3]);
  await b.pause(400);
  screenshot('whys-chain');
});

test('a step becomes an action item with one click', async () => {
  const b = app.browser;
  const third = (await b.$$('[data-testid="why-step"]'))[2];
  await (await third.$('[data-testid="step-to-action"]')).click();
  await until(b, async () => /✓ action item/.test(await text(await third.$('[data-testid="step-to-action"]'))), 'the step was not marked');
  const actionTitles = async () => {
    const out = [];
    for (const t of await b.$$('[data-testid="action-title"]')) out.push(await t.getValue());
    return out;
  };
  await until(b, async () => (await actionTitles()).some((t) => /^Address: A config refactor renamed the key/.test(t)), 'the action item did not appear');
  // Clicking the lit badge again goes to the item instead of making a second one.
  await (await third.$('[data-testid="step-to-action"]')).click();
  await b.pause(300);
  assert.equal((await actionTitles()).length, 1);
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'not saved', 20000);
});

test('causes typed into a fishbone are drawn on the diagram', async () => {
  const b = app.browser;
  const addDiagram = await b.$('[data-testid="fishbone-add"]');
  // The previous test's badge click smooth-scrolls to the action item; a click while the page
  // still moves lands on whatever passes under the pointer.
  await b.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), addDiagram);
  await b.pause(300);
  await addDiagram.click();
  const diagram = await b.$('[data-testid="fishbone-diagram"] svg');
  await diagram.waitForExist({ timeout: 10000 });
  const empty = await shotOf(b, diagram, 'fishbone-empty');

  const categories = await b.$$('[data-testid="fishbone-category"]');
  await (await categories[2].$('[data-testid="fishbone-add-cause"]')).click(); // Technology
  await type(b, 'Pool limit lowered to 20');
  await type(b, '\uE007'); // Enter: the next cause in the same category
  await type(b, 'Retries without backoff');
  await (await categories[5].$('[data-testid="fishbone-add-cause"]')).click(); // Configuration
  await type(b, 'Unknown values keys ignored');
  await until(b, async () => (await b.$$('[data-testid="diagram-cause"]')).length === 3, 'the causes were not drawn', 10000);
  // The drawing follows the typing after a short pause: wait for the last letters to arrive.
  const typed = ['Pool limit lowered to 20', 'Retries without backoff', 'Unknown values keys ignored'];
  let drawn = '';
  await until(b, async () => {
    drawn = await text(await b.$('[data-testid="fishbone-diagram"]'));
    return typed.every((cause) => drawn.includes(cause));
  }, 'the typed causes did not all reach the drawing', 10000).catch(() => {});
  for (const cause of typed) assert.ok(drawn.includes(cause), `${cause} is not on the diagram: ${drawn}`);
  const filled = await shotOf(b, diagram, 'fishbone-filled');
  const [, emptySig, emptyInk] = stats(empty);
  const [filledDev, filledSig, filledInk] = stats(filled);
  assert.ok(filledDev > 0.05, `the diagram region is blank (${filledDev})`);
  assert.notEqual(filledSig, emptySig, 'the drawing did not change');
  // Three causes of 20-odd letters each add several hundred dark pixels of text and rules.
  assert.ok(filledInk > emptyInk + 400, `the causes added too little ink (${emptyInk} -> ${filledInk} dark pixels)`);

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
  const listed = await timingList.$$('[data-testid="fishbone-cause-input"]');
  assert.equal(listed.length, 1);
  assert.equal(await listed[0].getValue(), 'Rollout during the evening peak');
  await b.pause(400);
  screenshot('fishbone-edited');
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'the fishbone was not saved', 20000);
});

test('the chain, the diagram and the action item are there after opening the postmortem again', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="back-to-library"]')).click();
  await (await b.$('[data-testid="library-table"]')).waitForDisplayed({ timeout: 10000 });
  let row;
  await until(b, async () => {
    for (const r of await b.$$('[data-testid="pm-row"]')) {
      if ((await text(r)).includes('Checkout 502s after pool change')) row = r;
    }
    return row;
  }, 'the postmortem is not in the library');
  await (await row.$('td:nth-child(3)')).click();
  await (await b.$('[data-testid="pm-title"]')).waitForDisplayed({ timeout: 10000 });
  await until(b, async () => (await b.$$('[data-testid="why-answer"]')).length === 5, 'the chain did not come back');
  const values = [];
  for (const a of await b.$$('[data-testid="why-answer"]')) values.push(await a.getValue());
  assert.equal(values[4], 'The shared chart has no values schema');
  assert.match(await text((await b.$$('[data-testid="step-to-action"]'))[2]), /✓ action item/);
  await until(b, async () => (await b.$$('[data-testid="diagram-cause"]')).length === 4, 'the diagram did not come back', 10000);
  const titles = [];
  for (const t of await b.$$('[data-testid="action-title"]')) titles.push(await t.getValue());
  assert.deepEqual(titles, ['Address: A config refactor renamed the key and the default applied']);
});

test('a contributing factor is filed under a root-cause type from the taxonomy', async () => {
  const b = app.browser;
  const add = await b.$('[data-testid="factor-add"]');
  await b.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), add);
  await b.pause(200);
  await add.click();
  const factors = await b.$$('[data-testid="factor"]');
  const factor = factors[factors.length - 1];
  const factorText = await factor.$('[data-testid="factor-text"]');
  await factorText.waitForDisplayed({ timeout: 5000 });
  await factorText.addValue('No alert on pool saturation before requests failed');
  // The category field offers the diagram's categories and the library's root-cause types.
  const offered = await b.execute(() => [...document.querySelectorAll('#factor-categories option')].map((o) => o.value));
  assert.ok(offered.includes('Technology'), `fishbone categories are offered: ${offered}`);
  assert.ok(offered.includes('Monitoring gap'), `root-cause types are offered: ${offered}`);
  const category = await factor.$('[data-testid="factor-category"]');
  await category.addValue('Monitoring gap');
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'the factor was not saved', 20000);
  const list = JSON.parse(execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'list', '--json']).toString());
  const id = list.find((r) => r.title === 'Checkout 502s after pool change').id;
  const shown = JSON.parse(execFileSync(path.join(root, 'target/debug/debrief'), ['--library', libraryDir, 'show', id, '--json']).toString());
  const pm = shown.postmortem ?? shown;
  const saved = pm.contributing_factors.find((f) => f.text === 'No alert on pool saturation before requests failed');
  assert.equal(saved?.category, 'Monitoring gap');
});

test('blameful wording in a factor is marked in place and fixed from its tip', async () => {
  const b = app.browser;
  await (await b.$('[data-testid="factor-add"]')).click();
  const factors = await b.$$('[data-testid="factor"]');
  const factor = factors[factors.length - 1];
  const input = await factor.$('[data-testid="factor-text"]');
  await input.waitForDisplayed({ timeout: 5000 });
  await b.execute((e) => e.scrollIntoView({ block: 'center', behavior: 'instant' }), input);
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
  await until(b, async () => (await input.getValue()) === "The pool change was a gap in the system's safeguards.", 'the suggestion was not applied in the factor');
  const state = await b.$('[data-testid="save-state"]');
  await until(b, async () => (await text(state)).startsWith('Saved'), 'the fix was not saved', 20000);
});
