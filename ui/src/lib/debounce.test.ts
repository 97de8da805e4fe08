import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from './debounce';

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once, with the last arguments, after the quiet period', () => {
    const calls: string[] = [];
    const d = debounce((q: string) => calls.push(q), 120);
    d('c');
    vi.advanceTimersByTime(100);
    d('ce');
    vi.advanceTimersByTime(100);
    d('cer');
    expect(calls).toEqual([]);
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(120);
    expect(calls).toEqual(['cer']);
    expect(d.pending).toBe(false);
  });

  it('cancel drops the pending call', () => {
    const fn = vi.fn();
    const d = debounce(fn, 120);
    d();
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
    expect(d.pending).toBe(false);
  });

  it('flush runs the pending call at once, and only once', () => {
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 120);
    expect(d.flush()).toBe(false);
    d(7);
    expect(d.flush()).toBe(true);
    expect(calls).toEqual([7]);
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([7]);
  });
});
