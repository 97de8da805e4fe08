import { describe, expect, it } from 'vitest';
import type { WhysChain } from '../api/types';
import { addStep, depths, followUpQuestion, moveStep, newChain, removeStep, subtreeIds } from './whys';

describe('5-whys editing', () => {
  it('builds a chain of five, each step under the last', () => {
    const chain = newChain('Checkout returned 502s');
    expect(chain.steps[0].question).toBe('Why checkout returned 502s?');
    let last = chain.steps[0];
    for (let i = 0; i < 4; i++) last = addStep(chain, last.id, 'Why?');
    expect(chain.steps).toHaveLength(5);
    expect([...depths(chain.steps).values()]).toEqual([0, 1, 2, 3, 4]);
  });
  it('places a branch after the parent subtree and keeps siblings in order', () => {
    const chain: WhysChain = { id: 'c', problem: 'p', steps: [] };
    const a = addStep(chain, null);
    const b = addStep(chain, a.id);
    const c = addStep(chain, b.id);
    const d = addStep(chain, a.id); // a second cause of a
    expect(chain.steps.map((s) => s.id)).toEqual([a.id, b.id, c.id, d.id]);
    expect(moveStep(chain, d.id, -1)).toBe(true);
    expect(chain.steps.filter((s) => s.parent_id === a.id).map((s) => s.id)).toEqual([d.id, b.id]);
    expect(moveStep(chain, a.id, -1)).toBe(false);
  });
  it('removes a step with everything below it', () => {
    const chain: WhysChain = { id: 'c', problem: 'p', steps: [] };
    const a = addStep(chain, null);
    const b = addStep(chain, a.id);
    addStep(chain, b.id);
    const d = addStep(chain, a.id);
    expect(subtreeIds(chain.steps, b.id).size).toBe(2);
    expect(removeStep(chain, b.id)).toBe(2);
    expect(chain.steps.map((s) => s.id)).toEqual([a.id, d.id]);
  });
  it('phrases the next question from the answer', () => {
    expect(followUpQuestion('The pool was exhausted.')).toBe('Why? (the pool was exhausted)');
    expect(followUpQuestion('')).toBe('Why?');
  });
});
