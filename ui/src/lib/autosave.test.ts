import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoSaver, saveStateLabel, type SaveState } from './autosave';

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function setup() {
  const saves: Deferred<string>[] = [];
  const applied: string[] = [];
  const states: SaveState['kind'][] = [];
  const saver = new AutoSaver<string>({
    delayMs: 700,
    save: () => {
      const d = deferred<string>();
      saves.push(d);
      return d.promise;
    },
    apply: (r) => applied.push(r),
    onState: (s) => states.push(s.kind),
    now: () => new Date('2025-03-12T14:32:00'),
  });
  return { saver, saves, applied, states };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('AutoSaver', () => {
  it('debounces edits into one save after the quiet period', async () => {
    const { saver, saves, applied, states } = setup();
    saver.edited();
    await vi.advanceTimersByTimeAsync(500);
    saver.edited();
    await vi.advanceTimersByTimeAsync(500);
    expect(saves).toHaveLength(0);
    expect(saver.state.kind).toBe('dirty');
    await vi.advanceTimersByTimeAsync(200);
    expect(saves).toHaveLength(1);
    expect(saver.state.kind).toBe('saving');
    saves[0].resolve('v1');
    await vi.advanceTimersByTimeAsync(0);
    expect(applied).toEqual(['v1']);
    expect(saver.state).toEqual({ kind: 'saved', at: new Date('2025-03-12T14:32:00') });
    expect(saver.dirty).toBe(false);
    expect(states).toEqual(['dirty', 'dirty', 'saving', 'saved']);
  });

  it('does not apply a result when the user edited during the save, and saves again', async () => {
    const { saver, saves, applied } = setup();
    saver.edited();
    await vi.advanceTimersByTimeAsync(700);
    saver.edited(); // typing continues while the save is in flight
    saves[0].resolve('stale');
    await vi.advanceTimersByTimeAsync(0);
    expect(applied).toEqual([]);
    expect(saver.state.kind).toBe('dirty');
    await vi.advanceTimersByTimeAsync(700);
    expect(saves).toHaveLength(2);
    saves[1].resolve('fresh');
    await vi.advanceTimersByTimeAsync(0);
    expect(applied).toEqual(['fresh']);
    expect(saver.state.kind).toBe('saved');
  });

  it('disowns a save in flight when the edits are discarded: its answer is not applied', async () => {
    const { saver, saves, applied, states } = setup();
    saver.edited();
    await vi.advanceTimersByTimeAsync(700);
    saver.edited(); // typed during the save: a second save is queued behind it
    await vi.advanceTimersByTimeAsync(700);
    saver.discard(); // the user took the stored version
    const idle = saver.idle();
    saves[0].resolve('mine, from before the discard');
    await idle;
    await vi.advanceTimersByTimeAsync(700);
    expect(applied).toEqual([]);
    expect(saves).toHaveLength(1); // nothing queued behind it ran
    expect(saver.state.kind).toBe('saved');
    expect(saver.dirty).toBe(false);
    expect(states[states.length - 1]).toBe('saved');
    // A failure of a disowned save is not reported either.
    saver.edited();
    await vi.advanceTimersByTimeAsync(700);
    saver.discard();
    saves[1].reject(new Error('refused'));
    await saver.idle();
    expect(saver.state.kind).toBe('saved');
  });

  it('never runs two saves at once; a save due during one is queued behind it', async () => {
    const { saver, saves } = setup();
    saver.edited();
    await vi.advanceTimersByTimeAsync(700);
    saver.edited();
    await vi.advanceTimersByTimeAsync(700); // debounce ran out while the first save is in flight
    expect(saves).toHaveLength(1);
    saves[0].resolve('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(saves).toHaveLength(2);
  });

  it('keeps the edits on failure, reports the error and retries on the next edit', async () => {
    const { saver, saves, applied } = setup();
    saver.edited();
    await vi.advanceTimersByTimeAsync(700);
    saves[0].reject({ code: 'validation', message: 'title: must not be empty' });
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.state).toEqual({ kind: 'error', error: { code: 'validation', message: 'title: must not be empty' } });
    expect(saver.dirty).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saves).toHaveLength(1); // no retry loop without an edit
    saver.edited();
    await vi.advanceTimersByTimeAsync(700);
    expect(saves).toHaveLength(2);
    saves[1].resolve('ok');
    await vi.advanceTimersByTimeAsync(0);
    expect(applied).toEqual(['ok']);
  });

  it('flush saves immediately and reports success', async () => {
    const { saver, saves } = setup();
    saver.edited();
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(saves).toHaveLength(1);
    saves[0].resolve('x');
    await expect(done).resolves.toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(saves).toHaveLength(1); // the debounce was cancelled
  });

  it('flush reports failure and resolves at once when clean', async () => {
    const { saver, saves } = setup();
    await expect(saver.flush()).resolves.toBe(true);
    saver.edited();
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    saves[0].reject(new Error('disk full'));
    await expect(done).resolves.toBe(false);
    expect(saver.state).toEqual({ kind: 'error', error: { code: 'internal', message: 'disk full' } });
  });

  it('labels each state for the indicator', () => {
    const clock = () => '14:32';
    expect(saveStateLabel({ kind: 'saved', at: null }, clock)).toBe('Saved');
    expect(saveStateLabel({ kind: 'error', error: { code: 'changed', message: 'long' } }, clock)).toBe('Not saved: changed elsewhere');
    expect(saveStateLabel({ kind: 'saved', at: new Date() }, clock)).toBe('Saved 14:32');
    expect(saveStateLabel({ kind: 'dirty' }, clock)).toBe('Unsaved changes');
    expect(saveStateLabel({ kind: 'saving' }, clock)).toBe('Saving…');
    expect(saveStateLabel({ kind: 'error', error: { code: 'io', message: 'x: denied' } }, clock)).toBe(
      'Save failed: x: denied',
    );
  });
});
