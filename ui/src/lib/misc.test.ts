import { describe, expect, it } from 'vitest';
import { splitValidation, toErrorPayload } from '../api/errors';
import type { Postmortem, Template } from '../api/types';
import { mergeSaved } from './merge';
import { findTemplateSection } from './templates';
import { otherTheme, resolveTheme } from './theme';

describe('errors', () => {
  it('keeps command errors and wraps everything else', () => {
    expect(toErrorPayload({ code: 'database_too_new', message: 'upgrade' })).toEqual({
      code: 'database_too_new',
      message: 'upgrade',
    });
    expect(toErrorPayload('invalid args `id` for command')).toEqual({
      code: 'ipc',
      message: 'invalid args `id` for command',
    });
    expect(toErrorPayload(new TypeError('boom'))).toEqual({ code: 'internal', message: 'boom' });
    expect(toErrorPayload(undefined).message).toBe('unknown error');
  });
  it('keeps the field a validation error carries', () => {
    const payload = {
      code: 'validation',
      message: 'users_affected_pct: 120 must be between 0 and 100',
      field: { path: 'users_affected_pct', problem: '120 must be between 0 and 100' },
    };
    expect(toErrorPayload(payload)).toEqual(payload);
  });
  it('treats an object with an unknown code as an internal error', () => {
    expect(toErrorPayload({ code: 'teapot', message: 'short and stout' })).toEqual({
      code: 'internal',
      message: 'short and stout',
    });
  });
  it('reads the field and its problem from the payload, never from the message text', () => {
    expect(
      splitValidation({
        code: 'validation',
        message: 'users_affected_pct: 120 must be between 0 and 100',
        field: { path: 'users_affected_pct', problem: '120 must be between 0 and 100' },
      }),
    ).toEqual({ field: 'users_affected_pct', message: '120 must be between 0 and 100' });
    expect(splitValidation({ code: 'io', message: 'a: b' })).toEqual({ field: null, message: 'a: b' });
  });
});

describe('theme', () => {
  it('prefers the stored setting, else the system', () => {
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme(null, true)).toBe('dark');
    expect(resolveTheme('purple', false)).toBe('light');
    expect(otherTheme('dark')).toBe('light');
  });
});

describe('templates', () => {
  const templates: Template[] = [
    {
      name: 'Standard blameless',
      description: '',
      builtin: true,
      sections: [{ key: 'summary', heading: 'Summary', guidance: 'Two sentences.', prompts: ['What?'], required: true, placeholder: '' }],
    },
  ];
  it('finds guidance by template name and section key', () => {
    expect(findTemplateSection(templates, 'standard BLAMELESS', 'summary')?.guidance).toBe('Two sentences.');
    expect(findTemplateSection(templates, 'Standard blameless', 'nope')).toBeNull();
    expect(findTemplateSection(templates, null, 'summary')).toBeNull();
  });
});

describe('mergeSaved', () => {
  it('keeps on-screen text that differs only by normalisation', () => {
    const local = { title: 'Checkout down ', incident_commander: '', data_impact: null } as unknown as Postmortem;
    const saved = { title: 'Checkout down', incident_commander: null, data_impact: null, updated_at: 'new' } as unknown as Postmortem;
    const merged = mergeSaved(local, saved);
    expect(merged.title).toBe('Checkout down ');
    expect(merged.incident_commander).toBe('');
    expect(merged.updated_at).toBe('new');
  });
  it('takes the server copy when it really differs', () => {
    const local = { title: 'A', incident_commander: 'Ana', data_impact: null } as unknown as Postmortem;
    const saved = { title: 'B', incident_commander: 'Ana', data_impact: null } as unknown as Postmortem;
    expect(mergeSaved(local, saved).title).toBe('B');
  });
});
