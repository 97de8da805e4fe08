import { describe, expect, it } from 'vitest';
import { countCauses, findCause, newCause, newFishbone, removeCause } from './fishbone';

describe('fishbone editing', () => {
  it('starts with the six default categories', () => {
    expect(newFishbone('502s').categories.map((c) => c.name)).toEqual(['People', 'Process', 'Technology', 'Environment', 'Timing', 'Configuration']);
  });
  it('finds, counts and removes nested causes', () => {
    const f = newFishbone('502s');
    const a = newCause('Pool exhausted');
    const b = newCause('Limit lowered');
    const c = newCause('Typo fix');
    b.children.push(c);
    a.children.push(b);
    f.categories[2].causes.push(a, newCause('Retries'));
    expect(countCauses(f)).toBe(4);
    expect(findCause(f, c.id)?.list).toBe(b.children);
    expect(removeCause(f, b.id)).toBe(true);
    expect(countCauses(f)).toBe(2);
    expect(removeCause(f, 'nope')).toBe(false);
  });
});
