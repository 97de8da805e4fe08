// Words for the revision history dialog: what replaced a version, and how a change reads.
import type { FieldChange, Why } from '../api/types';

/** "Edited", "Overwritten by an import", ...: what replaced a kept version. */
export function replacedByLabel(why: Why): string {
  switch (why) {
    case 'edit':
      return 'Edited';
    case 'import':
      return 'Overwritten by an import';
    case 'sync':
      return 'Changed by a team sync';
    case 'restore':
      return 'Replaced by a restore';
  }
}

/** "Title, Section “Impact”: Body and 3 more", or "No visible change" for a summary list. */
export function summaryLine(summary: readonly string[], changed: number): string {
  if (changed === 0 || summary.length === 0) return 'No visible change (only times)';
  const more = changed - summary.length;
  return more > 0 ? `${summary.join(', ')} and ${more} more` : summary.join(', ');
}

/** The sign a change is marked with in the diff: + added, − removed, ~ changed. */
export function changeMark(c: Pick<FieldChange, 'change'>): string {
  return c.change === 'added' ? '+' : c.change === 'removed' ? '−' : '~';
}
