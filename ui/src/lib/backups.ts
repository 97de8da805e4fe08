// Words and choices for the library-data screen: the backup schedule, kinds and sizes.
import type { BackupKind } from '../api/types';

/** The schedules offered, in hours (0 is off). */
export const BACKUP_INTERVALS: readonly number[] = [0, 1, 6, 24, 24 * 7];

/** "Off", "Every hour", "Every 6 hours", "Every day", "Every week", "Every 3 days". */
export function intervalHoursLabel(hours: number): string {
  if (hours <= 0) return 'Off';
  if (hours === 1) return 'Every hour';
  if (hours % (24 * 7) === 0) return hours === 24 * 7 ? 'Every week' : `Every ${hours / (24 * 7)} weeks`;
  if (hours % 24 === 0) return hours === 24 ? 'Every day' : `Every ${hours / 24} days`;
  return `Every ${hours} hours`;
}

/** Why a backup was made, as the list says it. */
export function backupKindLabel(kind: BackupKind): string {
  switch (kind) {
    case 'auto':
      return 'Automatic';
    case 'manual':
      return 'Made by hand';
    case 'before_migration':
      return 'Before an upgrade';
    case 'before_restore':
      return 'Before a restore';
  }
}
