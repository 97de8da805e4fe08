import { describe, expect, it } from 'vitest';
import type { TeamStatus } from '../api';
import { intervalLabel, teamBadge, versionText } from './team';

const base: TeamStatus = {
  url: 'file:///srv/pm.git',
  branch: 'main',
  state: 'up_to_date',
  to_send: 0,
  to_receive: 0,
  conflicts: [],
  problems: [],
  synced_at: null,
  offline_since: null,
  offline_reason: null,
  interval_minutes: 0,
  author_name: 'Ana',
  author_email: 'ana@example.com',
  author_set_here: false,
  last_report: null,
};

describe('teamBadge', () => {
  it('says each state in words', () => {
    expect(teamBadge({ ...base, state: 'not_connected', url: null })).toEqual({ text: 'Not shared', tone: 'quiet' });
    expect(teamBadge(base)).toEqual({ text: 'Up to date', tone: 'ok' });
    expect(teamBadge({ ...base, state: 'to_send', to_send: 3 }).text).toBe('3 to send');
    expect(teamBadge({ ...base, state: 'to_receive', to_receive: 1 }).text).toBe('1 to receive');
    expect(teamBadge({ ...base, state: 'offline', to_send: 2 })).toEqual({ text: 'Offline · 2 to send', tone: 'warning' });
    expect(teamBadge({ ...base, state: 'offline' }).text).toBe('Offline');
  });
  it('counts conflicting fields, not postmortems', () => {
    const s = { ...base, state: 'conflict', conflicts: [{ id: 'a', title: 'A', fields: 2 }, { id: 'b', title: 'B', fields: 1 }] };
    expect(teamBadge(s)).toEqual({ text: '3 conflicts', tone: 'danger' });
  });
  it('warns about unreadable files even when up to date', () => {
    expect(teamBadge({ ...base, problems: [{ path: 'x.md', message: 'x.md:3: bad' }] })).toEqual({ text: '1 file to fix', tone: 'warning' });
  });
});

describe('versionText', () => {
  it('shows text as written and lists one per line', () => {
    expect(versionText({ by: 'Ana', value: 'Line one\nLine two' })).toBe('Line one\nLine two');
    expect(versionText({ by: 'Ana', value: ['db', 'api'] })).toBe('db\napi');
    expect(versionText({ by: 'Ana', value: null })).toBe('(empty)');
    expect(versionText({ by: 'Ana', value: 42 })).toBe('42');
    expect(versionText({ by: 'Ana', value: { name: 'x' } })).toContain('"name": "x"');
  });
});

describe('intervalLabel', () => {
  it('names the choices', () => {
    expect(intervalLabel(0)).toBe('Off');
    expect(intervalLabel(15)).toBe('Every 15 minutes');
    expect(intervalLabel(60)).toBe('Every hour');
  });
});
