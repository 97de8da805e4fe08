import { describe, expect, it } from 'vitest';
import type { Finding } from '../api/types';
import { byteLength } from './coach';
import { pieces, strongest } from './highlight';

const f = (text: string, phrase: string, strength: Finding['strength'] = 'moderate'): Finding => {
  const start = byteLength(text.slice(0, text.indexOf(phrase)));
  return { rule: phrase, kind: 'hindsight', strength, field: 'x', start, end: start + byteLength(phrase), line: 1, text: phrase, why: '', suggestion: '', replacement: null };
};
const shape = (text: string, findings: Finding[]) => pieces(text, findings).map((x) => [x.text, x.findings.map((y) => y.text)]);

describe('highlight pieces', () => {
  it('cut the text around each finding, in order', () => {
    const text = 'Bob should have known. Obviously the alert was late.';
    expect(shape(text, [f(text, 'Obviously'), f(text, 'should have known')])).toEqual([
      ['Bob ', []],
      ['should have known', ['should have known']],
      ['. ', []],
      ['Obviously', ['Obviously']],
      [' the alert was late.', []],
      ['\u200b', []],
    ]);
  });

  it('rejoin to the original text, after non-ASCII text too', () => {
    const text = 'é Bob — 🚀 failed to notice';
    const p = pieces(text, [f(text, 'failed to notice')]);
    expect(p.map((x) => x.text).join('')).toBe(text + '\u200b');
    expect(p.find((x) => x.findings.length)?.text).toBe('failed to notice');
  });

  it('share the overlap of two findings between them', () => {
    const text = 'Bob should have checked the config.';
    const a = f(text, 'Bob should', 'strong');
    const b = f(text, 'should have checked');
    expect(shape(text, [a, b])).toEqual([
      ['Bob ', ['Bob should']],
      ['should', ['Bob should', 'should have checked']],
      [' have checked', ['should have checked']],
      [' the config.', []],
      ['\u200b', []],
    ]);
    expect(strongest([b, a])).toBe('strong');
  });

  it('leave out a finding whose phrase has moved since the coach read the text', () => {
    const before = 'It obviously broke.';
    const stale = f(before, 'obviously');
    const after = 'Now it obviously broke.';
    expect(shape(after, [stale])).toEqual([[after, []], ['\u200b', []]]);
  });
});
