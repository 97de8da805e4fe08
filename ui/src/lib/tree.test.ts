import { describe, expect, it } from 'vitest';
import type { WhyStep } from '../api/types';
import { buildWhyTree, type WhyNode } from './tree';

const step = (id: string, parent_id: string | null): WhyStep => ({
  id,
  parent_id,
  question: `why ${id}?`,
  answer: `because ${id}`,
  evidence: [],
});

const shape = (nodes: WhyNode[]): string =>
  nodes.map((n) => (n.children.length ? `${n.step.id}(${shape(n.children)})` : n.step.id)).join(',');

describe('buildWhyTree', () => {
  it('nests steps under their parents in stored order, with branches', () => {
    const steps = [step('a', null), step('b', 'a'), step('c', 'b'), step('d', 'b'), step('e', 'a')];
    expect(shape(buildWhyTree(steps))).toBe('a(b(c,d),e)');
  });
  it('keeps steps whose parent is missing, and breaks cycles', () => {
    expect(shape(buildWhyTree([step('a', null), step('x', 'gone')]))).toBe('a,x');
    expect(shape(buildWhyTree([step('p', 'q'), step('q', 'p')]))).toBe('p(q)');
  });
});
