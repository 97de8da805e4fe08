// Insights in the real window, on the sample library: the figures match the CLI's for the same
// period, a period change reloads them, a figure drills into the incidents behind it in the
// library list, and an edited prevention-ROI input is saved and changes the ranking.
//
// Expectations come from the CLI (`debrief stats/patterns/roi --json`), which counts with the
// same core and the same "today" as the app, never from numbers written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centre, cli, cliJson, home, openPostmortem, sampleSession, settled, screenshot, text, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('insights');
const kpiValue = async (b, id) => text(await b.$(`[data-testid="${id}"] .kpi-value`));

async function openInsights(b) {
  await home(b);
  await (await b.$('[data-testid="nav-insights"]')).click();
  await until(b, async () => (await b.$('[data-testid="kpi-incidents"]')).isExisting(), 'Insights did not show its figures');
  await settled(b);
}

test('Insights shows the figures the core counts for the period, and a period change reloads them', async () => {
  const b = await session();
  await openInsights(b);
  const today = cliJson(libraryDir, ['actions', '--metrics']).today;
  for (const [preset, days] of [['90', 90], ['365', 365]]) {
    await (await b.$(`[data-testid="period-${preset}"]`)).click();
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const expected = cliJson(libraryDir, ['stats', '--from', from, '--to', today]);
    await until(
      b,
      async () => (await kpiValue(b, 'kpi-incidents')) === String(expected.current.incidents.total),
      `the incident count for ${days} days did not become ${expected.current.incidents.total}`,
    );
    const rate = expected.current.repeats.rate.rate;
    assert.equal(await kpiValue(b, 'kpi-repeats'), rate === null ? '—' : `${Math.round(rate * 100)}%`);
    const statuses = [];
    for (const el of await b.$$('[data-testid="budget-status"]')) statuses.push(await text(el));
    assert.deepEqual(statuses, expected.budgets.map((x) => x.status), 'one row per service with an SLO, with its status');
  }
  screenshot('insights');
});

test('a figure drills into the incidents behind it in the library list', async () => {
  const b = await session();
  await openInsights(b);
  await (await b.$('[data-testid="period-365"]')).click();
  const today = cliJson(libraryDir, ['actions', '--metrics']).today;
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  const patterns = cliJson(libraryDir, ['patterns', '--from', from, '--to', today]);
  assert.ok(patterns.length > 0, 'the sample library has repeat patterns over a year');
  const first = patterns[0];
  await until(b, async () => (await b.$$('[data-testid="pattern-drill"]')).length === patterns.length, 'the patterns did not load');
  const drill = (await b.$$('[data-testid="pattern-drill"]'))[0];
  await centre(b, drill);
  await drill.click();
  await until(b, async () => (await b.$('[data-testid="library-drill"]')).isExisting(), 'the library did not show the drilled incidents');
  await until(
    b,
    async () => (await b.$$('[data-testid="library-table"] tbody tr[data-id]')).length === new Set(first.incidents.map((i) => i.id)).size,
    'the list did not narrow to the pattern incidents',
  );
  const shown = await b.$$('[data-testid="library-table"] tbody tr[data-id]');
  const ids = [];
  for (const r of shown) ids.push(await r.getAttribute('data-id'));
  assert.deepEqual(new Set(ids), new Set(first.incidents.map((i) => i.id)));
  await (await b.$('[data-testid="library-drill"] button')).click();
  await until(b, async () => !(await (await b.$('[data-testid="library-drill"]')).isExisting()), 'the drill did not clear');
});

test('an edited prevention cost is saved and changes the ranking', async () => {
  const b = await session();
  await openInsights(b);
  const today = cliJson(libraryDir, ['actions', '--metrics']).today;
  const before = cliJson(libraryDir, ['roi', '--to', today]);
  // Only a category that saves something can climb when its prevention gets cheaper.
  const ranked = before.categories.filter((c) => c.annual_savings !== null && c.annual_savings > 0);
  assert.ok(ranked.length >= 2, 'at least two categories save something in the window');
  const last = ranked[ranked.length - 1];
  const row = await b.$(`[data-testid="roi-row"][data-category="${last.category}"]`);
  await centre(b, row);
  const input = await row.$('[data-testid="roi-implementation-cost"]');
  await input.clearValue();
  await input.setValue('1');
  await input.addValue('\uE004'); // Tab: the field commits its value
  await until(
    b,
    async () => (await (await b.$$('[data-testid="roi-row"]'))[0].getAttribute('data-category')) === last.category,
    `${last.category} did not move to the top after its prevention cost fell to 1`,
  );
  const after = cliJson(libraryDir, ['roi', '--to', today, '--category', last.category]);
  assert.equal(after.categories[0].inputs.implementation_cost, 1, 'the input was saved in the library');
  assert.equal(after.categories[0].saved_inputs, true);
});

test('a postmortem without a category is offered one from its similar incidents, and one click files it', async () => {
  const b = await session();
  const id = cli(libraryDir, ['new', '--title', 'Expired TLS certificate on the API gateway broke partner webhooks', '--severity', 'SEV3']).trim();
  await openPostmortem(b, id);
  const offer = await b.$('[data-testid="use-suggested-category"]');
  await offer.waitForExist({ timeout: 15000, timeoutMsg: 'no category was suggested' });
  const suggested = await text(offer);
  const taxonomy = cliJson(libraryDir, ['taxonomy']);
  assert.ok(
    taxonomy.categories.some((c) => c.name === suggested && !c.retired),
    `${suggested} is a category the library offers`,
  );
  await centre(b, offer);
  await offer.click();
  await until(b, () => cliJson(libraryDir, ['show', id]).postmortem.categories.includes(suggested), `${suggested} was not saved on the postmortem`);
  assert.ok(!(await (await b.$('[data-testid="category-suggestion"]')).isExisting()), 'the offer goes once a category is set');
});
