// The taxonomy screen in the real window, on the sample library: merging one category into
// another relabels every postmortem and removes it, a rename onto a taken name is refused beside
// the field, and a service is retired (and its SLO edited, a bad one refused beside the field).
//
// Expectations come from the CLI (`debrief taxonomy --json`, `debrief list --category`), which
// reads the same library with the same core, never from names or numbers written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centre, cli, cliJson, home, sampleSession, settled, screenshot, text, until } from './harness.mjs';

const { libraryDir, session } = sampleSession('taxonomy');
const row = (b, kind, name) => b.$(`[data-testid="taxonomy-${kind}"] tr[data-name="${name}"]`);
const idsWith = (category) => cliJson(libraryDir, ['list', '--category', category]).map((p) => p.id);

async function openTaxonomy(b) {
  await home(b);
  await (await b.$('[data-testid="nav-insights"]')).click();
  const manage = await b.$('[data-testid="manage-taxonomy"]');
  await until(b, () => manage.isExisting(), 'Insights did not offer the taxonomy');
  await manage.click();
  await until(b, async () => (await b.$('[data-testid="taxonomy"]')).isExisting(), 'the taxonomy screen did not open');
  // Every count has loaded once no cell still says it is counting.
  await until(b, async () => {
    const cells = await b.$$('[data-testid="uses"]');
    if (cells.length === 0) return false;
    for (const c of cells) if ((await text(c)) === '…') return false;
    return true;
  }, 'the postmortem counts did not load');
  await settled(b);
}

test('merging a category relabels every postmortem and removes it', async () => {
  const b = await session();
  await openTaxonomy(b);
  const categories = cliJson(libraryDir, ['taxonomy']).categories.filter((c) => !c.retired);
  const used = categories.map((c) => ({ name: c.name, ids: idsWith(c.name) })).filter((c) => c.ids.length > 0);
  used.sort((x, y) => x.ids.length - y.ids.length);
  assert.ok(used.length >= 2, 'the sample library has two categories in use');
  const from = used[0];
  const into = used[used.length - 1];

  // The screen counts what the CLI lists.
  for (const c of [from, into]) {
    assert.equal(await text(await (await row(b, 'category', c.name)).$('[data-testid="uses"]')), String(c.ids.length));
  }

  // A rename onto a name another category has is refused, beside the field, pointing at merge.
  const fromRow = await row(b, 'category', from.name);
  await centre(b, fromRow);
  await (await fromRow.$('[data-testid="rename-btn"]')).click();
  const input = await fromRow.$('[data-testid="rename-input"]');
  await until(b, () => input.isExisting(), 'the rename field did not open');
  await input.setValue(into.name.toUpperCase());
  await (await fromRow.$('[data-testid="rename-save"]')).click();
  const refusal = await fromRow.$('.error-note');
  await until(b, () => refusal.isExisting(), 'the taken name was not refused beside the field');
  assert.match(await text(refusal), /already exists.*merge/);
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await input.addValue('\uE00C'); // Escape: give up the rename
  await until(b, async () => !(await input.isExisting()), 'the rename did not close');

  // Merge it: the confirmation says how many postmortems it relabels.
  await (await fromRow.$('[data-testid="merge-btn"]')).click();
  const select = await fromRow.$('[data-testid="merge-select"]');
  await until(b, () => select.isExisting(), 'the merge picker did not open');
  await select.selectByAttribute('value', into.name);
  await until(b, async () => (await select.getValue()) === into.name, 'the merge target was not chosen');
  await (await fromRow.$('[data-testid="merge-go"]')).click();
  const message = await b.$('[data-testid="merge-message"]');
  await until(b, () => message.isExisting(), 'the merge was not confirmed first');
  const n = from.ids.length;
  assert.match(await text(message), new RegExp(`^${n} postmortems? will be relabelled from “${from.name}” to “${into.name}”`));
  await settled(b);
  screenshot('taxonomy-merge-confirm');
  await (await b.$('[data-testid="merge-confirm"]')).click();
  await until(b, async () => !(await (await row(b, 'category', from.name)).isExisting()), 'the merged category stayed on the screen');
  assert.match(await text(await b.$('[data-testid="taxonomy-note"]')), new RegExp(`relabelled`));

  // The CLI agrees: the old category is gone and its postmortems carry the other.
  const after = cliJson(libraryDir, ['taxonomy']);
  assert.ok(!after.categories.some((c) => c.name.toLowerCase() === from.name.toLowerCase()), `${from.name} is gone`);
  const now = new Set(idsWith(into.name));
  for (const id of from.ids) assert.ok(now.has(id), `${id} was relabelled ${into.name}`);
  assert.equal(now.size, new Set([...from.ids, ...into.ids]).size);
  assert.equal(idsWith(from.name).length, 0);
  await until(
    b,
    async () => (await text(await (await row(b, 'category', into.name)).$('[data-testid="uses"]'))) === String(now.size),
    'the count of the merged-into category did not follow',
  );
});

test('a service is retired, and its SLO edited with a bad value refused beside the field', async () => {
  const b = await session();
  await openTaxonomy(b);
  const service = cliJson(libraryDir, ['taxonomy']).services.find((s) => !s.retired);
  assert.ok(service, 'the sample library has services');
  const r = await row(b, 'service', service.name);
  await centre(b, r);

  await (await r.$('[data-testid="edit-btn"]')).click();
  const slo = await r.$('[data-testid="edit-slo"]');
  await until(b, () => slo.isExisting(), 'the service settings did not open');
  await slo.setValue('120');
  await (await r.$('[data-testid="edit-team"]')).setValue('Platform');
  await (await r.$('[data-testid="edit-save"]')).click();
  const refusal = await r.$('[data-testid="field-error-slo_target"]');
  await until(b, () => refusal.isExisting(), 'the bad SLO was not refused beside its field');
  assert.equal(cliJson(libraryDir, ['taxonomy']).services.find((s) => s.name === service.name).team, service.team, 'nothing was saved');
  await slo.setValue('99.9');
  await (await r.$('[data-testid="edit-save"]')).click();
  await until(b, async () => (await text(await r.$('[data-testid="slo"]'))) === '99.9%', 'the SLO did not save');
  const saved = cliJson(libraryDir, ['taxonomy']).services.find((s) => s.name === service.name);
  assert.equal(saved.slo_target, 0.999);
  assert.equal(saved.team, 'Platform');

  const retire = await r.$('[data-testid="retire-btn"]');
  assert.equal(await text(retire), 'Retire');
  await retire.click();
  await until(b, async () => (await r.getAttribute('data-retired')) === 'true', 'the service was not shown retired');
  assert.equal(await text(await r.$('[data-testid="retire-btn"]')), 'Bring back');
  assert.ok(await (await r.$('[data-testid="retired-tag"]')).isExisting());
  const retired = cliJson(libraryDir, ['taxonomy']).services.find((s) => s.name === service.name);
  assert.equal(retired.retired, true, 'the CLI marks it retired');
  await settled(b);
  screenshot('taxonomy');
});

test('a category and a root-cause type get a new description, saved in the library', async () => {
  const b = await session();
  await openTaxonomy(b);
  const taxonomy = cliJson(libraryDir, ['taxonomy']);
  for (const [kind, list, entry] of [
    ['category', 'categories', taxonomy.categories.find((c) => !c.retired)],
    ['cause', 'cause_types', taxonomy.cause_types.find((c) => !c.retired)],
  ]) {
    const r = await row(b, kind, entry.name);
    await centre(b, r);
    await (await r.$('[data-testid="edit-btn"]')).click();
    const input = await r.$('[data-testid="edit-description"]');
    await until(b, () => input.isExisting(), `the ${kind} description did not open for editing`);
    assert.equal(await input.getValue(), entry.description, 'the field starts from the saved description');
    const described = `Described from the window: ${kind}`;
    await input.clearValue();
    await input.setValue(described);
    await (await r.$('[data-testid="edit-save"]')).click();
    await until(b, async () => (await text(await r.$('.desc'))) === described, `the ${kind} description did not show`);
    assert.equal(cliJson(libraryDir, ['taxonomy'])[list].find((c) => c.name === entry.name).description, described);
  }
});
