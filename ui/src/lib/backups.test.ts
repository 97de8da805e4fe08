import { describe, expect, it } from 'vitest';
import { backupKindLabel, intervalHoursLabel } from './backups';

describe('library data words', () => {
  it('names schedules', () => {
    expect([0, 1, 6, 24, 72, 168, 336].map(intervalHoursLabel)).toEqual([
      'Off',
      'Every hour',
      'Every 6 hours',
      'Every day',
      'Every 3 days',
      'Every week',
      'Every 2 weeks',
    ]);
  });
  it('names kinds', () => {
    expect(backupKindLabel('before_restore')).toBe('Before a restore');
  });
});
