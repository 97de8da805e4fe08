import { describe, expect, it } from 'vitest';
import { attendeeKey, formatClock, isTyping, meetingKey, meetingKeyFor, withAttendance } from './meeting';

describe('meeting helpers', () => {
  it('formats clocks, overruns with a minus sign', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(245)).toBe('4:05');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(-42)).toBe('−0:42');
  });

  it('maps keys to meeting actions', () => {
    expect(meetingKey('ArrowRight')).toEqual({ kind: 'next' });
    expect(meetingKey('PageUp')).toEqual({ kind: 'previous' });
    expect(meetingKey(' ')).toEqual({ kind: 'toggle' });
    expect(meetingKey('3')).toEqual({ kind: 'spoke', index: 2 });
    expect(meetingKey('0')).toEqual({ kind: 'spoke', index: 9 });
    expect(meetingKey('a')).toEqual({ kind: 'spoke', index: 10 });
    expect(meetingKey('Enter')).toBeNull();
    expect(attendeeKey(0)).toBe('1');
    expect(attendeeKey(9)).toBe('0');
    expect(attendeeKey(35)).toBe('z');
    expect(attendeeKey(36)).toBeNull();
  });

  it('leaves keys typed into fields alone', () => {
    const el = (tagName: string, type?: string) => ({ tagName, type }) as unknown as EventTarget;
    const area = el('TEXTAREA');
    const button = el('BUTTON');
    const text = el('INPUT', 'text');
    const box = el('INPUT', 'checkbox');
    expect(isTyping(area)).toBe(true);
    expect(isTyping(text)).toBe(true);
    expect(isTyping(button)).toBe(false);
    expect(isTyping(box)).toBe(false);
    expect(isTyping(null)).toBe(false);
  });

  it('adds attendance as the core does: new names with their meeting role, known people unchanged', () => {
    const listed = [{ name: 'Dana Okafor', role: 'scribe' }];
    const out = withAttendance(listed, [
      { name: 'dana okafor', role: 'observer', turns: 2 },
      { name: 'Lee Park', role: 'subject_matter_expert', turns: 0 },
    ]);
    expect(out).toEqual([
      { name: 'Dana Okafor', role: 'scribe' },
      { name: 'Lee Park', role: 'Subject-matter expert' },
    ]);
    expect(listed.length, 'the list given is not changed').toBe(1);
  });

  it('leaves a key to where it was pressed when it belongs there', () => {
    const el = (tagName: string, attrs: Record<string, string> = {}, inDialog = false) =>
      ({
        tagName,
        type: attrs.type,
        getAttribute: (n: string) => attrs[n] ?? null,
        closest: () => (inDialog ? {} : null),
      }) as unknown as EventTarget;
    const press = (key: string, target: EventTarget | null, more: Partial<{ repeat: boolean; defaultPrevented: boolean }> = {}) =>
      meetingKeyFor({ key, target, repeat: false, defaultPrevented: false, ...more });
    const body = el('BODY');
    expect(press(' ', body)).toEqual({ kind: 'toggle' });
    expect(press(' ', el('BUTTON')), 'Space presses a focused button').toBeNull();
    expect(press(' ', el('G', { role: 'button', tabindex: '0' }))).toBeNull();
    expect(press('ArrowRight', el('BUTTON'))).toEqual({ kind: 'next' });
    expect(press('ArrowRight', el('INPUT', { type: 'radio' }))).toBeNull();
    expect(press('1', el('TEXTAREA'))).toBeNull();
    expect(press('1', body, { repeat: true }), 'a held key counts once').toBeNull();
    expect(press('1', body, { defaultPrevented: true })).toBeNull();
    expect(press('ArrowRight', el('DIV', {}, true)), 'keys in a dialog stay there').toBeNull();
    expect(press('2', body)).toEqual({ kind: 'spoke', index: 1 });
  });
});
