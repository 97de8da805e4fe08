import { describe, expect, it } from 'vitest';
import type { WhysChain } from '../api/types';
import {
  addSibling,
  addStep,
  depths,
  firstQuestion,
  focusAfterRemoval,
  followUpQuestion,
  lowerFirst,
  moveStep,
  newChain,
  removeStep,
  stepPlace,
  subtreeIds,
  whyKeyCommand,
} from './whys';

const key = (k: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

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
  it('moves a step with its subtree among its siblings, keeping tree order', () => {
    const chain: WhysChain = { id: 'c', problem: 'p', steps: [] };
    const a = addStep(chain, null);
    const b = addStep(chain, a.id);
    const b1 = addStep(chain, b.id);
    const d = addStep(chain, a.id);
    const d1 = addStep(chain, d.id);
    expect(moveStep(chain, d.id, -1)).toBe(true);
    // d and its child now come before b and its child, each child right after its parent.
    expect(chain.steps.map((s) => s.id)).toEqual([a.id, d.id, d1.id, b.id, b1.id]);
    expect(moveStep(chain, d.id, -1)).toBe(false);
    expect(moveStep(chain, b.id, 1)).toBe(false);
    expect(moveStep(chain, b1.id, 1)).toBe(false); // an only child stays
    expect(moveStep(chain, 'gone', 1)).toBe(false);
    expect(moveStep(chain, b.id, -1)).toBe(true);
    expect(chain.steps.map((s) => s.id)).toEqual([a.id, b.id, b1.id, d.id, d1.id]);
  });
  it('adds another cause beside a step, after its subtree, asking the same why', () => {
    const chain: WhysChain = { id: 'c', problem: 'p', steps: [] };
    const a = addStep(chain, null, 'Why did checkout fail?');
    const b = addStep(chain, a.id, 'Why was the pool exhausted?');
    const b1 = addStep(chain, b.id);
    const s = addSibling(chain, b.id)!;
    expect(s.parent_id).toBe(a.id);
    expect(s.question).toBe('Why was the pool exhausted?');
    expect(s.answer).toBe('');
    expect(chain.steps.map((x) => x.id)).toEqual([a.id, b.id, b1.id, s.id]);
    const top = addSibling(chain, a.id)!;
    expect(top.parent_id).toBeNull();
    expect(chain.steps[chain.steps.length - 1]).toBe(top);
    expect(addSibling(chain, 'gone')).toBeNull();
  });
  it('knows where the keyboard goes after a removal', () => {
    const chain: WhysChain = { id: 'c', problem: 'p', steps: [] };
    const a = addStep(chain, null);
    const b = addStep(chain, a.id);
    const a2 = addSibling(chain, a.id)!;
    expect(focusAfterRemoval(chain, b.id)).toBe(a.id);
    expect(focusAfterRemoval(chain, a2.id)).toBe(a.id);
    expect(focusAfterRemoval(chain, a.id)).toBe(a2.id);
    removeStep(chain, a2.id);
    removeStep(chain, b.id);
    expect(focusAfterRemoval(chain, a.id)).toBeNull();
  });
  it('maps keys to builder commands', () => {
    const full = { question: 'Why?', answer: 'Because' };
    const blank = { question: '', answer: '' };
    expect(whyKeyCommand('answer', key('Enter'), full)).toBe('next');
    expect(whyKeyCommand('answer', key('Enter', { altKey: true }), full)).toBe('sibling');
    expect(whyKeyCommand('answer', key('Enter', { shiftKey: true }), full)).toBeNull(); // a new line
    expect(whyKeyCommand('question', key('Enter'), full)).toBe('to-answer');
    expect(whyKeyCommand('question', key('Enter', { altKey: true }), full)).toBe('sibling');
    expect(whyKeyCommand('answer', key('ArrowUp', { altKey: true }), full)).toBe('move-up');
    expect(whyKeyCommand('question', key('ArrowDown', { altKey: true }), full)).toBe('move-down');
    expect(whyKeyCommand('answer', key('ArrowDown'), full)).toBeNull();
    expect(whyKeyCommand('answer', key('Backspace', { ctrlKey: true }), { question: 'Why?', answer: ' ' })).toBe('remove');
    expect(whyKeyCommand('answer', key('Delete', { metaKey: true }), { question: 'Why?', answer: '' })).toBe('remove');
    expect(whyKeyCommand('answer', key('Backspace', { ctrlKey: true }), full)).toBeNull(); // deletes a word
    expect(whyKeyCommand('question', key('Backspace', { ctrlKey: true }), { question: '', answer: 'x' })).toBeNull();
    expect(whyKeyCommand('question', key('Backspace', { ctrlKey: true }), blank)).toBe('remove');
    expect(whyKeyCommand('answer', key('Backspace'), blank)).toBeNull();
    expect(whyKeyCommand('answer', key('a'), full)).toBeNull();
  });
  it('phrases questions without mangling names and acronyms', () => {
    expect(firstQuestion('Checkout returned 502s.')).toBe('Why checkout returned 502s?');
    expect(firstQuestion('DNS stopped resolving')).toBe('Why DNS stopped resolving?');
    expect(firstQuestion('  ')).toBe('Why?');
    expect(lowerFirst('PagerDuty paged nobody')).toBe('PagerDuty paged nobody');
    expect(lowerFirst('The pool')).toBe('the pool');
    expect(lowerFirst('A config refactor')).toBe('a config refactor');
    expect(lowerFirst('I restarted it')).toBe('I restarted it');
    expect(lowerFirst('iOS crashed')).toBe('iOS crashed');
    expect(followUpQuestion('TLS certificates expired')).toBe('Why? (TLS certificates expired)');
  });
  it('names where a step is: its chain and its depth', () => {
    const one = newChain('a');
    const two = newChain('b');
    const deep = addStep(two, addStep(two, two.steps[0].id).id);
    expect(stepPlace([one, two], deep.id)).toEqual({ chain: 2, depth: 3 });
    expect(stepPlace([one, two], one.steps[0].id)).toEqual({ chain: 1, depth: 1 });
    expect(stepPlace([one, two], 'gone')).toBeNull();
  });
});
