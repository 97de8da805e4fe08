import { describe, expect, it } from 'vitest';
import { money, percent, presetPeriod, ratioText } from './insights';

describe('insights', () => {
  it('turns a preset into the days ending today, both included', () => {
    expect(presetPeriod('30', '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(presetPeriod('90', '2026-03-31')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(presetPeriod('365', '2028-03-01')).toEqual({ from: '2027-03-03', to: '2028-03-01' });
  });
  it('starts this quarter on its first day', () => {
    expect(presetPeriod('quarter', '2026-05-17')).toEqual({ from: '2026-04-01', to: '2026-05-17' });
    expect(presetPeriod('quarter', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-01-01' });
    expect(presetPeriod('quarter', '2026-12-31')).toEqual({ from: '2026-10-01', to: '2026-12-31' });
  });
  it('reads ratios and money', () => {
    expect(ratioText({ count: 5, of: 7, rate: 5 / 7 })).toBe('5 of 7 (71%)');
    expect(ratioText({ count: 0, of: 0, rate: null })).toBe('none');
    expect(percent(null)).toBe('—');
    expect(money(21900)).toBe('21,900');
    expect(money(null)).toBe('—');
  });
});
