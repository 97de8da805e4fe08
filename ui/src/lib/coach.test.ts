import { describe, expect, it } from 'vitest';
import type { Finding, Postmortem } from '../api/types';
import { applyFinding, byteLength, byteToIndex, fieldLabel, fieldText, findingRange, parsePath, replaceFinding } from './coach';

function finding(field: string, text: string, phrase: string, replacement: string | null): Finding {
  const at = text.indexOf(phrase);
  const start = byteLength(text.slice(0, at));
  return {
    rule: 'r',
    kind: 'person_as_cause',
    strength: 'strong',
    field,
    start,
    end: start + byteLength(phrase),
    line: 1,
    text: phrase,
    why: 'why',
    suggestion: 'suggestion',
    replacement,
  };
}

function pm(summary: string): Postmortem {
  return {
    title: 'Title',
    sections: [{ id: 's', key: 'summary', heading: 'Summary', body: summary }],
    whys: [{ id: 'w', problem: 'p', steps: [{ id: 'a', parent_id: null, question: 'Why?', answer: 'Human error.', evidence: [] }] }],
  } as unknown as Postmortem;
}

describe('byte offsets', () => {
  it('match string indices for ASCII', () => {
    expect(byteToIndex('hello world', 6)).toBe(6);
  });
  it('account for multi-byte characters before the phrase', () => {
    const text = 'Zürich → Bob should have checked 🚀 it';
    const f = finding('x', text, 'should have checked', null);
    const [s, e] = findingRange(text, f);
    expect(text.slice(s, e)).toBe('should have checked');
    expect(byteToIndex(text, byteLength(text))).toBe(text.length);
  });
});

describe('paths', () => {
  it('parse nested indices', () => {
    expect(parsePath('whys[0].steps[2].answer')).toEqual(['whys', 0, 'steps', 2, 'answer']);
    expect(parsePath('sections.root_cause')).toEqual(['sections', 'root_cause']);
  });
  it('read sections by key and nested fields', () => {
    const doc = pm('The deploy failed.');
    expect(fieldText(doc, 'sections.summary')).toBe('The deploy failed.');
    expect(fieldText(doc, 'whys[0].steps[0].answer')).toBe('Human error.');
    expect(fieldText(doc, 'whys[3].steps[0].answer')).toBeNull();
  });
  it('name fields for people', () => {
    expect(fieldLabel('sections.summary', { summary: 'Summary' })).toBe('Summary');
    expect(fieldLabel('whys[0].steps[1].answer', {})).toBe('5 whys 1, step 2 answer');
  });
});

describe('applying a suggestion', () => {
  it('replaces the phrase and keeps the rest', () => {
    const doc = pm('Ünïcode first. The root cause was human error in the rollout.');
    const f = finding('sections.summary', doc.sections[0].body, 'human error', "a gap in the system's safeguards");
    expect(applyFinding(doc, f)).toBe(true);
    expect(doc.sections[0].body).toBe("Ünïcode first. The root cause was a gap in the system's safeguards in the rollout.");
  });
  it('capitalises at the start of a sentence', () => {
    const doc = pm('x');
    const f = finding('whys[0].steps[0].answer', 'Human error.', 'Human error', "a gap in the system's safeguards");
    expect(applyFinding(doc, f)).toBe(true);
    expect(doc.whys[0].steps[0].answer).toBe("A gap in the system's safeguards.");
  });
  it('refuses when the text moved or there is no replacement', () => {
    const doc = pm('The root cause was human error.');
    const f = finding('sections.summary', 'The root cause was human error.', 'human error', 'x');
    doc.sections[0].body = 'Changed: the root cause was human error.';
    expect(applyFinding(doc, f)).toBe(false);
    expect(applyFinding(doc, { ...f, replacement: null })).toBe(false);
  });
});

describe('replacing a phrase', () => {
  const replace = (text: string, phrase: string, replacement: string | null) =>
    replaceFinding(text, finding('x', text, phrase, replacement));

  it('counts bytes, not UTF-16 units, before the phrase', () => {
    expect(replace('Ops 🚀 café: why did you restart it?', 'why did you', 'What information did you have when you')).toBe(
      'Ops 🚀 café: what information did you have when you restart it?',
    );
  });
  it('keeps a question opening a sentence capitalised', () => {
    expect(replace('Why did you restart the pod?', 'Why did you', 'What information did you have when you')).toBe(
      'What information did you have when you restart the pod?',
    );
  });
  it('takes out a phrase whose replacement is empty, with its comma and space', () => {
    expect(replace('Obviously, the alert was late.', 'Obviously', '')).toBe('The alert was late.');
    expect(replace('The alert was obviously late.', 'obviously', '')).toBe('The alert was late.');
    expect(replace('It broke. Obviously the cache was cold.', 'Obviously', '')).toBe('It broke. The cache was cold.');
  });
  it('gives nothing without a replacement', () => {
    expect(replace('Bob should have checked the config.', 'should have checked', null)).toBeNull();
  });
});
