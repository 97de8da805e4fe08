import { describe, expect, it } from 'vitest';
import { LatestOnly, STALE } from './latest';

/** A promise resolved or rejected from outside. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('LatestOnly', () => {
  it('drops an older answer that arrives after a newer one', async () => {
    const latest = new LatestOnly();
    const slow = deferred<string>();
    const fast = deferred<string>();
    const first = latest.run(() => slow.promise);
    const second = latest.run(() => fast.promise);
    fast.resolve('new');
    expect(await second).toBe('new');
    slow.resolve('old');
    expect(await first).toBe(STALE);
  });

  it('delivers the only request in flight', async () => {
    const latest = new LatestOnly();
    expect(await latest.run(async () => 42)).toBe(42);
  });

  it('makes everything in flight stale on invalidate', async () => {
    const latest = new LatestOnly();
    const d = deferred<number>();
    const p = latest.run(() => d.promise);
    latest.invalidate();
    d.resolve(1);
    expect(await p).toBe(STALE);
  });

  it('throws the latest failure but swallows a stale one', async () => {
    const latest = new LatestOnly();
    const old = deferred<number>();
    const first = latest.run(() => old.promise);
    const second = latest.run(() => Promise.reject(new Error('parse')));
    await expect(second).rejects.toThrow('parse');
    old.reject(new Error('late failure'));
    expect(await first).toBe(STALE);
  });

  it('tracks tickets by hand', () => {
    const latest = new LatestOnly();
    const a = latest.begin();
    expect(latest.isLatest(a)).toBe(true);
    const b = latest.begin();
    expect(latest.isLatest(a)).toBe(false);
    expect(latest.isLatest(b)).toBe(true);
  });
});
