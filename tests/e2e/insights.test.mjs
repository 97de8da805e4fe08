// Insights in the real window, on the sample library: the figures match the CLI's for the same
// period, a period change reloads them, a figure drills into the incidents behind it in the
// library list, and an edited prevention-ROI input is saved and changes the ranking.
//
// Expectations come from the CLI (`debrief stats/patterns/roi --json`), which counts with the
// same core and the same "today" as the app, never from numbers written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertEither, centre, cli, cliJson, daysEnding, home, openPostmortem, sampleSession, settled, screenshot, text, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('insights');
const kpiValue = async (b, id) => text(await b.$(`[data-testid="${id}"] .kpi-value`));
const coreToday = () => cliJson(libraryDir, ['actions', '--metrics']).today;

/**
 * Chooses a preset period and returns the period whose figures the window then shows, once it
 * is the `days` ending the core's today. Today is read before and after, as a run can cross
 * midnight; the figures are then checked for the period on screen.
 */
async function choosePeriod(b, preset, days) {
  const before = coreToday();
  await (await b.$(`[data-testid="period-${preset}"]`)).click();
  const shown = b.$('[data-testid="insights-period"]');
  const period = async () => ({ from: await shown.getAttribute('data-from'), to: await shown.getAttribute('data-to') });
  const isWanted = (p) => [daysEnding(before, days), daysEnding(coreToday(), days)].some((w) => w.from === p.from && w.to === p.to);
  await until(b, async () => (await shown.isExisting()) && isWanted(await period()), `the ${preset} preset did not show the ${days} days ending today`);
  const { from, to } = await period();
  return { from, to };
}

async function openInsights(b) {
  await home(b);
  await (await b.$('[data-testid="nav-insights"]')).click();
  await until(b, async () => (await b.$('[data-testid="kpi-incidents"]')).isExisting(), 'Insights did not show its figures');
  await settled(b);
}

test('Insights shows the figures the core counts for the period, and a period change reloads them', async () => {
  const b = await session();
  await openInsights(b);
  for (const [preset, days] of [['90', 90], ['365', 365]]) {
    const { from, to: today } = await choosePeriod(b, preset, days);
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
    // The incidents that need a postmortem and the categories flagged for planning, per service.
    for (const budget of expected.budgets) {
      const row = await b.$(`[data-testid="budget-row"][data-service="${budget.service}"]`);
      const required = budget.incidents.filter((i) => i.postmortem_required).length;
      const cell = await row.$('[data-testid="budget-required"]');
      assert.equal(await cell.isExisting(), required > 0, `${budget.service}: ${required} incidents need a postmortem`);
      if (required > 0) assert.equal(await text(cell), `${required} incident${required === 1 ? '' : 's'}`);
      const flagged = await text(await row.$('[data-testid="budget-flagged"]'));
      for (const c of budget.categories_flagged) assert.ok(flagged.includes(c.category), `${budget.service}: ${c.category} flagged`);
      if (budget.categories_flagged.length === 0) assert.equal(flagged, '—');
    }
  }
  screenshot('insights');
});

test('a figure drills into the incidents behind it in the library list', async () => {
  const b = await session();
  await openInsights(b);
  const { from, to: today } = await choosePeriod(b, '365', 365);
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
  const { to: today } = await choosePeriod(b, '90', 90);
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

test('a bar of a chart drills into the incidents it counts, and the charts redraw in the theme', async () => {
  const b = await session();
  await openInsights(b);
  const { from, to: today } = await choosePeriod(b, '365', 365);
  const stats = cliJson(libraryDir, ['stats', '--from', from, '--to', today]);
  const chart = '[data-testid="chart-incidents_over_time"]';
  // A year is charted by month: one segment per severity per month with incidents.
  const segments = stats.current.monthly.flatMap((m) =>
    ['sev1', 'sev2', 'sev3', 'sev4'].filter((s) => m.counts[s] > 0).map((s) => ({ month: m, severity: s.toUpperCase(), count: m.counts[s] })),
  );
  await until(b, async () => (await b.$$(`${chart} [data-testid="chart-mark"]`)).length === segments.length, 'the chart did not mark every segment');
  // The tallest segment: its label says its count, and the click lists exactly that many.
  const biggest = segments.reduce((a, s) => (s.count > a.count ? s : a));
  const marks = await b.$$(`${chart} [data-testid="chart-mark"]`);
  let target = null;
  for (const m of marks) {
    const label = await m.getAttribute('title');
    const month = new Date(`${biggest.month.start}T00:00:00Z`).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
    if (label.startsWith(month) && label.includes(`: ${biggest.count} ${biggest.severity} incident`)) target = m;
  }
  assert.ok(target, `a mark for ${biggest.count} ${biggest.severity} in ${biggest.month.label}`);
  await centre(b, target);
  await target.click();
  await until(b, async () => (await b.$('[data-testid="library-drill"]')).isExisting(), 'the bar did not open its incidents');
  await until(
    b,
    async () => (await b.$$('[data-testid="library-table"] tbody tr[data-id]')).length === biggest.count,
    `the list did not narrow to the ${biggest.count} incidents of the bar`,
  );
  const rows = cliJson(libraryDir, ['list', '--severity', biggest.severity]).filter((r) => r.incident_date >= biggest.month.start && r.incident_date <= biggest.month.end);
  const shown = [];
  for (const r of await b.$$('[data-testid="library-table"] tbody tr[data-id]')) shown.push(await r.getAttribute('data-id'));
  assert.deepEqual(new Set(shown), new Set(rows.map((r) => r.id)), 'the same incidents the CLI lists for that month and severity');
  await (await b.$('[data-testid="library-drill"] button')).click();

  // The SEV1 segments are drawn in the theme's SEV1 colour, and again after the theme changes.
  await openInsights(b);
  const sev1Fill = async () =>
    b.execute((sel) => {
      const css = getComputedStyle(document.documentElement).getPropertyValue('--sev1-fg').trim().toLowerCase();
      const fills = [...document.querySelectorAll(`${sel} svg rect`)].map((r) => (r.getAttribute('fill') || '').toLowerCase());
      return { css, drawn: fills.includes(css) };
    }, chart);
  await until(b, async () => (await sev1Fill()).drawn, 'no segment in the SEV1 colour of the light theme');
  const light = (await sev1Fill()).css;
  await (await b.$('[data-testid="theme-toggle"]')).click();
  await until(b, async () => {
    const now = await sev1Fill();
    return now.css !== light && now.drawn;
  }, 'the chart was not redrawn in the dark theme');
  await (await b.$('[data-testid="theme-toggle"]')).click();
});

test('a duration histogram bar and the ROI ranking drill into their incidents', async () => {
  const b = await session();
  await openInsights(b);
  const { from, to: today } = await choosePeriod(b, '90', 90);
  const stats = cliJson(libraryDir, ['stats', '--from', from, '--to', today]);
  const bins = stats.current.durations.time_to_resolve.histogram.filter((h) => h.count > 0);
  const hist = '[data-testid="chart-time_to_resolve"] [data-testid="chart-mark"]';
  await until(b, async () => (await b.$$(hist)).length === bins.length, 'the time-to-resolve histogram did not mark its bars');
  const bar = (await b.$$(hist))[0];
  assert.match(await bar.getAttribute('title'), new RegExp(`${bins[0].label}: ${bins[0].count} incident`));
  await centre(b, bar);
  await bar.click();
  await until(
    b,
    async () => (await b.$$('[data-testid="library-table"] tbody tr[data-id]')).length === bins[0].count,
    `the list did not narrow to the ${bins[0].count} incidents of the shortest bar`,
  );
  await (await b.$('[data-testid="library-drill"] button')).click();

  await openInsights(b);
  const roi = cliJson(libraryDir, ['roi', '--to', today]);
  const first = roi.categories.find((c) => c.roi_3y_pct !== null && c.incidents > 0);
  const ranking = await b.$('[data-testid="chart-roi_ranking"] [data-testid="chart-mark"]');
  await ranking.waitForExist({ timeout: 10000, timeoutMsg: 'the ROI ranking has no bars' });
  assert.ok((await ranking.getAttribute('title')).startsWith(`${first.category}: 3-year ROI`), 'the top bar is the top-ranked category');
  await centre(b, ranking);
  await ranking.click();
  await until(
    b,
    async () => (await b.$$('[data-testid="library-table"] tbody tr[data-id]')).length === first.incidents,
    `the list did not narrow to the ${first.incidents} incidents of ${first.category}`,
  );
});

test('each service shows its incidents, median time to resolve and MTBF, and opens its incidents', async () => {
  const b = await session();
  await openInsights(b);
  const { from, to: today } = await choosePeriod(b, '90', 90);
  const stats = cliJson(libraryDir, ['stats', '--from', from, '--to', today]);
  const busiest = stats.current.by_service.reduce((a, s) => (s.incidents.total > a.incidents.total ? s : a));
  const mtbf = stats.current.mtbf.find((m) => m.service === busiest.key);
  const row = await b.$(`[data-testid="service-row"][data-service="${busiest.key}"]`);
  await until(b, () => row.isExisting(), `no row for ${busiest.key}`);
  await centre(b, row);
  const cells = await row.$$('td');
  assert.equal(await text(cells[1]), String(busiest.incidents.total));
  assert.equal(await text(cells[5]), mtbf.mean_days === null ? '—' : `${mtbf.mean_days.toFixed(1)} days`);
  await (await cells[1].$('button')).click();
  const expected = cliJson(libraryDir, ['list', '--service', busiest.key]).filter((r) => r.incident_date >= from && r.incident_date <= today);
  await until(
    b,
    async () => (await b.$$('[data-testid="library-table"] tbody tr[data-id]')).length === expected.length,
    `the list did not narrow to the ${expected.length} incidents of ${busiest.key}`,
  );
});

test('"on this day" lists an incident from this date in an earlier year, and opens it', async () => {
  const b = await session();
  const today = coreToday();
  const [y, m, d] = today.split('-').map(Number);
  // Two years back on the same date; on 29 February, four years back (the last 29 February).
  const back = m === 2 && d === 29 ? 4 : 2;
  const date = `${y - back}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const title = 'Search cluster split-brain after a rolling restart';
  const id = cli(libraryDir, ['new', '--title', title, '--severity', 'SEV2', '--date', date]).trim();
  await openInsights(b);
  const item = await b.$(`[data-testid="on-this-day-item"][data-id="${id}"]`);
  await until(b, () => item.isExisting(), `the incident of ${back} years ago was not on the card`);
  assert.match(await text(item), new RegExp(`${back} years ago`));
  await centre(b, item);
  await (await item.$('button')).click();
  const titleField = await b.$('[data-testid="pm-title"]');
  await until(b, async () => (await titleField.isExisting()) && (await titleField.getValue()) === title, 'the postmortem did not open');
});

test('a busy "on this day" lists the most recent few and opens all of them', async () => {
  const b = await session();
  const today = coreToday();
  const [y, m, d] = today.split('-').map(Number);
  const back = m === 2 && d === 29 ? 8 : 3;
  const date = `${y - back}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const made = [];
  for (let n = 1; n <= 6; n++) {
    made.push(cli(libraryDir, ['new', '--title', `Busy day incident ${n}`, '--severity', 'SEV3', '--date', date]).trim());
  }
  await openInsights(b);
  const more = await b.$('[data-testid="on-this-day-more"]');
  await until(b, () => more.isExisting(), 'the card did not offer the rest of the date');
  const total = Number((await text(more)).match(/All (\d+) incidents/)[1]);
  assert.ok(total >= made.length, `${total} counted`);
  assert.equal((await b.$$('[data-testid="on-this-day-item"]')).length, 5, 'the card lists five');
  await centre(b, more);
  await more.click();
  const rows = async () => {
    const ids = [];
    for (const r of await b.$$('[data-testid="library-table"] tbody tr[data-id]')) ids.push(await r.getAttribute('data-id'));
    return ids;
  };
  await until(b, async () => (await rows()).length === total, `the library did not list the ${total} incidents of the date`);
  const shown = await rows();
  for (const id of made) assert.ok(shown.includes(id), `${id} is listed`);
});

test('the repeat rate and a duration\'s lacking count open their incidents by the same rules', async () => {
  const b = await session();
  await openInsights(b);
  const { from, to: today } = await choosePeriod(b, '90', 90);
  const now = cliJson(libraryDir, ['stats', '--from', from, '--to', today]).current;
  const rows = async () => {
    const ids = [];
    for (const r of await b.$$('[data-testid="library-table"] tbody tr[data-id]')) ids.push(await r.getAttribute('data-id'));
    return ids.sort();
  };
  await (await b.$('[data-testid="kpi-repeats"]')).click();
  const repeats = now.repeats.repeats.map((r) => r.id).sort();
  await until(b, async () => JSON.stringify(await rows()) === JSON.stringify(repeats), 'the repeats did not open');
  await (await b.$('[data-testid="library-drill"] button')).click();

  await openInsights(b);
  const detect = now.durations.time_to_detect.lacking.map((r) => r.id).sort();
  assert.ok(detect.length > 0, 'the sample has incidents without a start marker');
  const lacking = (await b.$$('[data-testid="lacking-drill"]'))[0];
  assert.equal(await text(lacking), String(detect.length));
  await centre(b, lacking);
  await lacking.click();
  await until(b, async () => JSON.stringify(await rows()) === JSON.stringify(detect), 'the incidents lacking markers did not open');
});
