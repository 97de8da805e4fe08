import { afterEach, describe, expect, it, vi } from 'vitest';
import { followToday, todayIso } from './today.svelte';

describe('today', () => {
  afterEach(() => vi.useRealTimers());

  it("takes the core's date, and asks again so it turns over at the core's midnight", async () => {
    vi.useFakeTimers();
    const answers = ['2031-03-04', '2031-03-05'];
    const ask = vi.fn(() => Promise.resolve(answers[Math.min(ask.mock.calls.length - 1, 1)]));
    const stop = followToday(ask, 1000);
    await vi.advanceTimersByTimeAsync(0);
    expect(todayIso()).toBe('2031-03-04');
    await vi.advanceTimersByTimeAsync(1000);
    expect(todayIso()).toBe('2031-03-05');
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(ask).toHaveBeenCalledTimes(2);
  });

  it('keeps the date it has when the core cannot be asked', async () => {
    const before = todayIso();
    const stop = followToday(() => Promise.reject(new Error('no core')), 1000);
    await Promise.resolve();
    stop();
    expect(todayIso()).toBe(before);
  });
});
