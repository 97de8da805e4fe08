import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding, Postmortem, PostmortemView, SimilarHit } from '../../api';
import { LINT_DELAY_MS, PostmortemPageState, SAVE_DELAY_MS, type PageServices } from './page-state.svelte';

function doc(over: Partial<Postmortem> = {}): Postmortem {
  return {
    id: 'pm-1',
    title: 'Checkout outage',
    status: 'draft',
    incident_commander: null,
    data_impact: null,
    sections: [{ id: 's1', key: 'summary', heading: 'Summary', body: 'Bob should have checked the config.' }],
    timeline: [],
    whys: [],
    fishbones: [],
    contributing_factors: [],
    action_items: [],
    ...over,
  } as unknown as Postmortem;
}

function view(pm: Postmortem, revisions = 0, writes = 0): PostmortemView {
  return {
    writes,
    postmortem: pm,
    durations: {
      time_to_detect_min: 5,
      time_to_acknowledge_min: null,
      time_to_mitigate_min: null,
      time_to_resolve_min: null,
      impact_duration_min: null,
    },
    revisions,
    requirement: { required: true, reasons: ['SEV1 incident'], draft_due: null, draft_overdue: false },
  };
}

const finding = (field: string, text: string, at: number, replacement: string | null): Finding => ({
  rule: 'hindsight',
  kind: 'hindsight',
  strength: 'strong',
  field,
  start: at,
  end: at + text.length,
  line: 1,
  text,
  why: 'judges with hindsight',
  suggestion: 'say what made it hard to see',
  replacement,
});

/** A stand-in core: the store is `stored`; each call is recorded. */
function setup(core: Partial<PageServices> = {}) {
  let stored = doc();
  let revisions = 0;
  const calls: string[] = [];
  const errors: { context: string | null; message: string }[] = [];
  const services: PageServices = {
    getPostmortem: async (id) => {
      calls.push(`get ${id}`);
      return view(structuredClone(stored), revisions);
    },
    // The core trims the title, as it does.
    savePostmortem: async (pm) => {
      calls.push('save');
      stored = { ...structuredClone(pm), title: pm.title.trim() };
      return view(structuredClone(stored), ++revisions);
    },
    deletePostmortem: async (id) => {
      calls.push(`delete ${id}`);
      return null;
    },
    lintPostmortem: async (pm) => {
      calls.push('lint');
      const body = pm.sections[0]?.body ?? '';
      const at = body.indexOf('should have checked');
      return at < 0 ? [] : [finding('sections.summary', 'should have checked', at, 'did not check')];
    },
    similarPostmortems: async (id, limit) => {
      calls.push(`similar ${id} ${limit}`);
      return [] as SimilarHit[];
    },
    mergeTimelineEvents: async (pm, events) => {
      calls.push('merge');
      return { ...pm, timeline: [...pm.timeline, ...events.map((e, i) => ({ id: `t${i}`, ...e }))] } as unknown as Postmortem;
    },
    showError: (e, context) => errors.push({ context, message: (e as { message: string }).message }),
    ...core,
  };
  const page = new PostmortemPageState(() => 'pm-1', services);
  return { page, calls, errors, stored: () => stored };
}

/** Lets the pending promise callbacks run (the stand-in core answers at once). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PostmortemPageState', () => {
  it('opens the postmortem: takes the view and lets the coach read it', async () => {
    const { page, calls } = setup();
    await page.load();
    await settle();
    expect(page.pm?.title).toBe('Checkout outage');
    expect(page.durations?.time_to_detect_min).toBe(5);
    expect(page.revisions).toBe(0);
    expect(page.requirement?.required).toBe(true);
    expect(page.loadError).toBeNull();
    expect(calls).toEqual(['get pm-1', 'lint']);
    expect(page.findings.map((f) => f.text)).toEqual(['should have checked']);
    expect(page.findingsFor('sections.summary')).toHaveLength(1);
    expect(page.findingsFor('title')).toHaveLength(0);
    expect(page.headings).toEqual({ summary: 'Summary' });
  });

  it('keeps a failure to open', async () => {
    const { page } = setup({ getPostmortem: () => Promise.reject({ code: 'not_found', message: 'no such postmortem' }) });
    await page.load();
    expect(page.pm).toBeNull();
    expect(page.loadError).toEqual({ code: 'not_found', message: 'no such postmortem' });
  });

  it('apply keeps the text as typed where the saved copy differs only by normalisation', async () => {
    const { page } = setup();
    await page.load();
    page.pm!.title = 'Checkout outage  ';
    page.apply(view(doc({ title: 'Checkout outage', status: 'in_review' }), 3));
    expect(page.pm?.title).toBe('Checkout outage  ');
    expect(page.pm?.status).toBe('in_review');
    expect(page.revisions).toBe(3);
  });

  it('saves and re-reads once the typing pauses, then refreshes the similar incidents', async () => {
    const { page, calls } = setup();
    await page.load();
    await settle();
    calls.length = 0;
    page.pm!.title = 'Checkout outage after the DNS migration ';
    page.edited();
    await vi.advanceTimersByTimeAsync(LINT_DELAY_MS - 50);
    page.edited();
    expect(page.saveState.kind).toBe('dirty');
    await vi.advanceTimersByTimeAsync(LINT_DELAY_MS);
    expect(calls).toEqual(['lint']);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(calls).toEqual(['lint', 'save', 'similar pm-1 5']);
    expect(page.saveState.kind).toBe('saved');
    expect(page.revisions).toBe(1);
    // The core trimmed the title; the page keeps the space being typed.
    expect(page.pm?.title).toBe('Checkout outage after the DNS migration ');
  });

  it('names the field a refused save points at', async () => {
    const { page } = setup({ savePostmortem: () => Promise.reject({ code: 'validation', message: 'title: must not be empty', field: { path: 'title', problem: 'must not be empty' } }) });
    await page.load();
    page.pm!.title = '';
    page.edited();
    expect(page.invalidField).toBeNull();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(page.saveState.kind).toBe('error');
    expect(page.invalidField).toBe('title');
  });

  it('applies a suggestion, saves it and lets the coach re-read at once', async () => {
    const { page, calls, stored } = setup();
    await page.load();
    await settle();
    calls.length = 0;
    page.applySuggestion(page.findings[0]);
    expect(page.pm?.sections[0].body).toBe('Bob did not check the config.');
    await settle();
    expect(calls).toEqual(['lint']);
    expect(page.findings).toEqual([]);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(stored().sections[0].body).toBe('Bob did not check the config.');
  });

  it('changes the status with an immediate save, taking the view the core answers', async () => {
    const { page, calls, stored } = setup();
    await page.load();
    page.pm!.title = 'Edited ';
    page.edited();
    const change = page.changeStatus('in_review');
    expect(page.statusBusy).toBe(true);
    await change;
    expect(page.statusBusy).toBe(false);
    expect(page.statusError).toBeNull();
    expect(calls.filter((c) => c === 'save')).toHaveLength(2); // the pending edit, then the status
    expect(stored().status).toBe('in_review');
    expect(page.pm?.status).toBe('in_review');
    expect(page.pm?.title).toBe('Edited ');
    expect(page.revisions).toBe(2);
  });

  it('puts the status back and says why when the core refuses it', async () => {
    const refusal = { code: 'validation', message: 'reviewers: at least one reviewer is needed' };
    const { page } = setup({ savePostmortem: () => Promise.reject(refusal) });
    await page.load();
    await page.changeStatus('in_review');
    expect(page.pm?.status).toBe('draft');
    expect(page.statusError).toEqual(refusal);
    expect(page.statusBusy).toBe(false);
  });

  it('takes the lists a derived factor or action item comes back with', async () => {
    const { page, calls } = setup();
    await page.load();
    const op = vi.fn(async (pm: Postmortem, id: string) => ({
      ...pm,
      contributing_factors: [{ id: 'f1', source_step_id: id, source_cause_id: null }],
      action_items: [{ id: 'a1', source_step_id: null, source_factor_id: 'f1' }],
    }) as unknown as Postmortem);
    await page.derive(op, 'step-7', 'a contributing factor');
    expect(op).toHaveBeenCalledWith(expect.objectContaining({ id: 'pm-1' }), 'step-7');
    expect(page.factorSteps.get('step-7')).toBe('f1');
    expect(page.actionFactors.get('f1')).toBe('a1');
    expect(page.factorCauses.size).toBe(0);
    expect(page.saveState.kind).toBe('dirty');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(calls).toContain('save');
  });

  it('reports a derivation the core refuses', async () => {
    const { page, errors } = setup();
    await page.load();
    await page.derive(() => Promise.reject({ code: 'not_found', message: 'no such step' }), 'x', 'an action item');
    expect(errors).toEqual([{ context: 'Could not make an action item', message: 'no such step' }]);
    expect(page.saveState.kind).toBe('saved');
  });

  it('merges imported timeline events and marks the document edited', async () => {
    const { page, stored } = setup();
    await page.load();
    const event = { at: '2026-10-12T16:05:00Z', kind: 'detection', text: 'Alert fires' };
    expect(await page.mergeImported([event as never])).toBe(true);
    expect(page.pm?.timeline).toHaveLength(1);
    expect(await page.flush()).toBe(true);
    expect(stored().timeline).toHaveLength(1);
  });

  it('keeps the user on the page once when the last save failed', async () => {
    const { page, errors } = setup({ savePostmortem: () => Promise.reject({ code: 'io', message: 'disk full' }) });
    await page.load();
    page.edited();
    expect(await page.guard()).toBe(false);
    expect(errors).toEqual([
      { context: 'Not saved', message: 'disk full. Fix it, or go back again to leave without these changes.' },
    ]);
    expect(await page.guard()).toBe(true);
  });

  it('leaves at once when everything is saved', async () => {
    const { page, errors } = setup();
    await page.load();
    page.edited();
    expect(await page.guard()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('deletes, and saves nothing afterwards', async () => {
    const { page, calls } = setup();
    await page.load();
    page.edited();
    expect(await page.delete()).toBe(true);
    expect(page.deleting).toBe(true);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
    expect(calls).toContain('delete pm-1');
    expect(calls).not.toContain('save');
  });

  it('reports a failed delete and lets the user try again', async () => {
    const { page, errors } = setup({ deletePostmortem: () => Promise.reject({ code: 'io', message: 'read-only' }) });
    await page.load();
    expect(await page.delete()).toBe(false);
    expect(page.deleting).toBe(false);
    expect(errors).toEqual([{ context: 'Could not delete the postmortem', message: 'read-only' }]);
  });

  it('lists similar incidents; a failure shows an empty list, and an error unless the postmortem is gone', async () => {
    const hit = { id: 'pm-2' } as unknown as SimilarHit;
    const answers: (SimilarHit[] | { code: string; message: string })[] = [[hit], { code: 'io', message: 'index busy' }, { code: 'not_found', message: 'gone' }];
    const { page, errors } = setup({
      similarPostmortems: async () => {
        const a = answers.shift()!;
        if (!Array.isArray(a)) throw a;
        return a;
      },
    });
    await page.loadSimilar();
    expect(page.similar).toEqual([hit]);
    await page.loadSimilar();
    expect(page.similar).toEqual([hit]);
    expect(errors.map((e) => e.context)).toEqual(['Could not find similar incidents']);
    const fresh = setup({ similarPostmortems: () => Promise.reject({ code: 'not_found', message: 'gone' }) });
    await fresh.page.loadSimilar();
    expect(fresh.page.similar).toEqual([]);
    expect(fresh.errors).toEqual([]);
  });

  it('stops the coach and the autosave when disposed', async () => {
    const { page, calls } = setup();
    await page.load();
    await settle();
    calls.length = 0;
    page.edited();
    page.dispose();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS * 2);
    expect(calls).toEqual([]);
  });
});

describe('PostmortemPageState: saves only over the version it opened', () => {
  /** A core that refuses a save over a version other than the stored one, as `save_edit` does. */
  function stamped() {
    let stored = doc();
    let writes = 0;
    let release: (() => void) | null = null;
    let holdNext = false;
    const core: Partial<PageServices> = {
      getPostmortem: async () => view(structuredClone(stored), 0, writes),
      savePostmortem: async (pm, opened) => {
        if (holdNext) {
          holdNext = false;
          await new Promise<void>((r) => (release = r));
        }
        if (opened !== writes) throw { code: 'changed', message: 'postmortem pm-1 was changed elsewhere' };
        stored = structuredClone(pm);
        return view(structuredClone(stored), 0, ++writes);
      },
    };
    return {
      core,
      elsewhere: (title: string) => {
        stored = { ...stored, title };
        writes++;
      },
      hold: () => (holdNext = true),
      release: () => release?.(),
      stored: () => stored,
    };
  }

  it('keeps saving when the user types while a save is in flight', async () => {
    const s = stamped();
    const { page } = setup(s.core);
    await page.load();
    s.hold();
    page.pm!.title = 'First';
    page.edited();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    // Typed while the first save is held: its answer is not applied, but its stamp is.
    page.pm!.title = 'First and second';
    page.edited();
    s.release();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(await page.flush()).toBe(true);
    expect(s.stored().title).toBe('First and second');
    expect(page.changedElsewhere).toBe(false);
  });

  it('is told when another window saved first, and can take either version', async () => {
    const s = stamped();
    const { page } = setup(s.core);
    await page.load();
    s.elsewhere('Saved in another window');
    page.pm!.title = 'Mine';
    page.edited();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(page.changedElsewhere).toBe(true);
    expect(s.stored().title).toBe('Saved in another window');

    await page.keepMine();
    expect(page.changedElsewhere).toBe(false);
    expect(s.stored().title).toBe('Mine');

    s.elsewhere('Theirs again');
    page.pm!.title = 'Mine again';
    page.edited();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(page.changedElsewhere).toBe(true);
    await page.takeStored();
    expect(page.changedElsewhere).toBe(false);
    expect(page.pm!.title).toBe('Theirs again');
    expect(await page.flush()).toBe(true);
    expect(s.stored().title).toBe('Theirs again');
  });

  it('keeps unsaved edits when the stored version cannot be loaded to take it', async () => {
    const s = stamped();
    let loadFails = false;
    const load = s.core.getPostmortem!;
    s.core.getPostmortem = async (id) => {
      if (loadFails) throw { code: 'io', message: 'the library is busy' };
      return load(id);
    };
    const { page } = setup(s.core);
    await page.load();
    s.elsewhere('Theirs');
    page.pm!.title = 'Mine, unsaved';
    page.edited();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(page.changedElsewhere).toBe(true);
    loadFails = true;
    await page.takeStored();
    expect(page.pm!.title).toBe('Mine, unsaved');
    expect(page.changedElsewhere).toBe(true); // still not saved, and still said so
    loadFails = false;
    await page.takeStored();
    expect(page.pm!.title).toBe('Theirs');
    expect(page.changedElsewhere).toBe(false);
  });

  it('goes on saving after the core itself wrote the postmortem (a finished meeting)', async () => {
    const s = stamped();
    const { page } = setup(s.core);
    await page.load();
    // The core adds a participant and saves: the page adopts that version and mirrors it.
    s.elsewhere('Checkout outage');
    await page.adoptStored((pm) => {
      pm.title = 'Checkout outage';
      return false;
    });
    page.pm!.title = 'Typed after the meeting';
    page.edited();
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(page.changedElsewhere).toBe(false);
    expect(s.stored().title).toBe('Typed after the meeting');
  });
});
