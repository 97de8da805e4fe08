import { describe, expect, it } from 'vitest';
import { attendeeKey, formatClock, isTyping, meetingKey } from './meeting';

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
    expect(meetingKey('0')).toBeNull();
    expect(meetingKey('a')).toBeNull();
    expect(attendeeKey(0)).toBe('1');
    expect(attendeeKey(9)).toBeNull();
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
});
