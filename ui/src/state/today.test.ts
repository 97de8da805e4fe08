import { afterEach, describe, expect, it, vi } from 'vitest';
import { AFTER_MIDNIGHT_MS, followToday, nextAskIn, todayIso } from './today.svelte';

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

  it('asks again just after the local midnight, not up to a minute later', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(2031, 2, 4, 23, 59, 50)); // ten seconds before local midnight
    let day = '2031-03-04';
    const ask = vi.fn(() => Promise.resolve(day));
    const stop = followToday(ask, 60_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(todayIso()).toBe('2031-03-04');
    day = '2031-03-05';
    await vi.advanceTimersByTimeAsync(10_000 + AFTER_MIDNIGHT_MS);
    expect(ask).toHaveBeenCalledTimes(2);
    expect(todayIso()).toBe('2031-03-05');
    stop();
  });

  it('waits the usual interval when midnight is further away', () => {
    const noon = new Date(2031, 2, 4, 12, 0, 0);
    expect(nextAskIn(noon, 60_000)).toBe(60_000);
    const late = new Date(2031, 2, 4, 23, 59, 30);
    expect(nextAskIn(late, 60_000)).toBe(30_000 + AFTER_MIDNIGHT_MS);
  });
});
