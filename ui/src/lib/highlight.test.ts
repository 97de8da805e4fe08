import { describe, expect, it } from 'vitest';
import type { Finding } from '../api/types';
import { byteLength } from './coach';
import { pieces } from './highlight';

const f = (text: string, phrase: string): Finding => {
  const start = byteLength(text.slice(0, text.indexOf(phrase)));
  return { rule: 'r', kind: 'hindsight', strength: 'moderate', field: 'x', start, end: start + byteLength(phrase), line: 1, text: phrase, why: '', suggestion: '', replacement: null };
};

describe('highlight pieces', () => {
  it('cut the text around each finding, in order', () => {
    const text = 'Bob should have known. Obviously the alert was late.';
    const p = pieces(text, [f(text, 'Obviously'), f(text, 'should have known')]);
    expect(p.map((x) => [x.text, x.finding !== null])).toEqual([
      ['Bob ', false],
      ['should have known', true],
      ['. ', false],
      ['Obviously', true],
      [' the alert was late.', false],
      ['\u200b', false],
    ]);
  });
  it('rejoin to the original text', () => {
    const text = 'é Bob failed to notice';
    expect(pieces(text, [f(text, 'failed to notice')]).map((x) => x.text).join('')).toBe(text + '\u200b');
  });
});
