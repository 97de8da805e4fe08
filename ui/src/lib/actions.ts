// The action-item board: grouping rows and describing their age.
import type { ActionRow } from '../api/types';
import { ACTION_KIND_LABEL, ACTION_STATUS_LABEL } from './labels';

export type GroupBy = 'none' | 'owner' | 'status' | 'priority' | 'kind' | 'postmortem' | 'service';

export const GROUP_LABEL: Record<GroupBy, string> = {
  none: 'No grouping',
  owner: 'Owner',
  status: 'Status',
  priority: 'Priority',
  kind: 'Type',
  postmortem: 'Postmortem',
  service: 'Service',
};

export interface Group {
  key: string;
  label: string;
  rows: ActionRow[];
  overdue: number;
}

/** Rows grouped by `by`, groups in order of first appearance (rows come soonest-due first). */
export function groupRows(rows: readonly ActionRow[], by: GroupBy): Group[] {
  const groups = new Map<string, Group>();
  const put = (key: string, label: string, row: ActionRow) => {
    const g = groups.get(key) ?? { key, label, rows: [], overdue: 0 };
    g.rows.push(row);
    if (row.overdue) g.overdue += 1;
    groups.set(key, g);
  };
  for (const row of rows) {
    switch (by) {
      case 'none':
        put('all', 'All items', row);
        break;
      case 'owner':
        put(row.item.owner ?? '', row.item.owner ?? 'No owner', row);
        break;
      case 'status':
        put(row.item.status, ACTION_STATUS_LABEL[row.item.status], row);
        break;
      case 'priority':
        put(row.item.priority, row.item.priority, row);
        break;
      case 'kind':
        put(row.item.kind, ACTION_KIND_LABEL[row.item.kind], row);
        break;
      case 'postmortem':
        put(row.postmortem_id, row.postmortem_title, row);
        break;
      case 'service':
        if (row.services.length === 0) put('', 'No service', row);
        for (const s of row.services) put(s, s, row);
        break;
    }
  }
  const list = [...groups.values()];
  if (by === 'priority' || by === 'status') list.sort((a, b) => a.key.localeCompare(b.key));
  return list;
}

/** "3 days", "1 day", "today". */
export function agingLabel(days: number): string {
  if (days <= 0) return 'today';
  return days === 1 ? '1 day' : `${days} days`;
}

/** "58.5%" for 0.585; "—" when unknown. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
