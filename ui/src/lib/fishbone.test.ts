import { describe, expect, it } from 'vitest';
import {
  addCauseAfter,
  addCauseTo,
  addSubCause,
  causeContext,
  causeKeyCommand,
  causePlace,
  causesBelow,
  countCauses,
  exportName,
  findCause,
  focusAfterCauseRemoval,
  newCause,
  newFishbone,
  uniqueNames,
  removeCause,
} from './fishbone';

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
  it('adds causes to a bone, beside a cause and under it, to any depth', () => {
    const f = newFishbone('502s');
    const tech = f.categories[2];
    const a = addCauseTo(f, tech.id, 'Pool exhausted')!;
    const c = addCauseTo(f, tech.id, 'Retries')!;
    const b = addCauseAfter(f, a.id)!; // between a and c
    expect(tech.causes.map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    let parent = a;
    for (let i = 0; i < 6; i++) parent = addSubCause(f, parent.id)!;
    expect(causeContext(f, parent.id)).toMatchObject({ depth: 6, category: tech });
    expect(causesBelow(f, a.id)).toBe(6);
    expect(countCauses(f)).toBe(9);
    expect(addCauseTo(f, 'nope')).toBeNull();
    expect(addSubCause(f, 'nope')).toBeNull();
    expect(addCauseAfter(f, 'nope')).toBeNull();
  });
  it('knows where the keyboard goes after a cause is removed', () => {
    const f = newFishbone('502s');
    const a = addCauseTo(f, f.categories[0].id, 'a')!;
    const b = addCauseTo(f, f.categories[0].id, 'b')!;
    const a1 = addSubCause(f, a.id)!;
    expect(focusAfterCauseRemoval(f, b.id)).toBe(a.id);
    expect(focusAfterCauseRemoval(f, a.id)).toBe(b.id);
    expect(focusAfterCauseRemoval(f, a1.id)).toBe(a.id);
    expect(focusAfterCauseRemoval(f, 'nope')).toBeNull();
  });
  it('names where a cause hangs', () => {
    const f = newFishbone('502s');
    const a = addCauseTo(f, f.categories[5].id, 'Key renamed')!;
    const a1 = addSubCause(f, a.id)!;
    expect(causePlace([f], a.id)).toEqual({ diagram: 1, path: 'Configuration' });
    expect(causePlace([newFishbone('x'), f], a1.id)).toEqual({ diagram: 2, path: 'Configuration › Key renamed' });
    expect(causePlace([f], 'nope')).toBeNull();
  });
  it('maps keys in the cause list', () => {
    const k = (key: string, m: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean }> = {}) => ({ key, altKey: false, ctrlKey: false, metaKey: false, ...m });
    expect(causeKeyCommand(k('Enter'), 'x')).toBe('next');
    expect(causeKeyCommand(k('Enter', { altKey: true }), 'x')).toBe('sub');
    expect(causeKeyCommand(k('Enter', { ctrlKey: true }), 'x')).toBeNull();
    expect(causeKeyCommand(k('Backspace', { ctrlKey: true }), '')).toBe('remove');
    expect(causeKeyCommand(k('Backspace', { ctrlKey: true }), 'x')).toBeNull();
    expect(causeKeyCommand(k('Backspace'), '')).toBeNull();
  });
  it('names an export after the effect', () => {
    expect(exportName('Checkout 502s: pool/limit?', 'svg')).toBe('Checkout 502s pool limit.svg');
    expect(exportName('  ', 'png')).toBe('fishbone.png');
  });
});

describe('category names on offer', () => {
  it('keeps the first spelling of each name, trimmed, and drops empty ones', () => {
    expect(uniqueNames([' Process', 'Technology', 'process', '', '  ', 'Monitoring gap', 'Technology '])).toEqual([
      'Process',
      'Technology',
      'Monitoring gap',
    ]);
  });
});
