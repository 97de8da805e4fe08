import { describe, expect, it } from 'vitest';
import type { Section, Template } from '../api/types';
import { days, draftOutcome, requiredSections, templateNamed } from './review';

const template = {
  name: 'Standard blameless',
  description: '',
  builtin: true,
  sections: [
    { key: 'summary', heading: 'Summary', guidance: '', prompts: [], required: true, placeholder: '' },
    { key: 'impact', heading: 'Impact', guidance: '', prompts: [], required: true, placeholder: '- Users affected:' },
    { key: 'lucky', heading: 'Where we got lucky', guidance: '', prompts: [], required: false, placeholder: '' },
    { key: 'lessons', heading: 'Lessons learned', guidance: '', prompts: [], required: true, placeholder: '' },
  ],
} as Template;
const section = (key: string, body: string): Section => ({ id: key, key, heading: key, body }) as Section;

describe('required sections', () => {
  it('count blank sections and untouched starting text as not written', () => {
    const r = requiredSections(template, [section('summary', 'It broke.'), section('impact', '  - Users affected:\n'), section('lucky', '')]);
    expect(r).toEqual([
      { key: 'summary', heading: 'Summary', written: true },
      { key: 'impact', heading: 'Impact', written: false },
      { key: 'lessons', heading: 'Lessons learned', written: false },
    ]);
  });
  it('are none without a template', () => {
    expect(requiredSections(null, [])).toEqual([]);
    expect(templateNamed([template], 'standard BLAMELESS')).toBe(template);
    expect(templateNamed([template], null)).toBeNull();
  });
});

describe('the draft deadline', () => {
  const due = '2026-09-06T00:31:00Z';
  const now = new Date('2026-09-08T12:00:00Z');
  const moved = (at: string) => [{ from: 'draft', to: 'in_review', by: 'Sam', at }] as never;

  it('runs while a draft is young, and is overdue after', () => {
    expect(draftOutcome({ draft_due: due, draft_overdue: false }, 'draft', [], new Date('2026-09-04T12:00:00Z'))).toEqual({ kind: 'pending', days: 2 });
    expect(draftOutcome({ draft_due: due, draft_overdue: true }, 'draft', [], now)).toEqual({ kind: 'overdue', days: 3 });
  });
  it('is met or missed by the first move out of Draft', () => {
    expect(draftOutcome({ draft_due: due, draft_overdue: false }, 'in_review', moved('2026-09-05T09:00:00Z'), now)).toEqual({ kind: 'on_time' });
    expect(draftOutcome({ draft_due: due, draft_overdue: false }, 'final', moved('2026-09-08T09:00:00Z'), now)).toEqual({ kind: 'late', days: 3 });
    expect(draftOutcome({ draft_due: due, draft_overdue: false }, 'final', [], now)).toEqual({ kind: 'on_time' });
  });
  it('is not there without a resolved event', () => {
    expect(draftOutcome({ draft_due: null, draft_overdue: false }, 'draft', [], now)).toBeNull();
    expect(days(1)).toBe('1 day');
    expect(days(4)).toBe('4 days');
  });
});
