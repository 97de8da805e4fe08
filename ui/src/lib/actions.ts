// The action-item board: grouping rows and describing their age.
import type { ActionFilter, ActionItem, ActionKind, ActionRow, ActionStatus, Priority } from '../api/types';
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

/** What the board's filter bar holds; `toActionFilter` turns it into the core's filter. */
export interface BoardFilters {
  /** `pending` is open and in progress (the default); `any` is every status. */
  status: 'pending' | 'any' | ActionStatus;
  owner: string;
  priority: Priority | '';
  kind: ActionKind | '';
  service: string;
  postmortemId: string | null;
  overdueOnly: boolean;
}

export const DEFAULT_FILTERS: BoardFilters = {
  status: 'pending',
  owner: '',
  priority: '',
  kind: '',
  service: '',
  postmortemId: null,
  overdueOnly: false,
};

/** The core's filter for one page (`page` null: every matching item, as for CSV export). */
export function toActionFilter(f: BoardFilters, page: { limit: number; offset: number } | null): ActionFilter {
  return {
    owner: f.owner.trim() || null,
    status: f.status === 'pending' || f.status === 'any' ? null : f.status,
    open_only: f.status === 'pending',
    overdue: f.overdueOnly,
    priority: f.priority || null,
    kind: f.kind || null,
    postmortem_id: f.postmortemId,
    service: f.service.trim() || null,
    limit: page?.limit ?? null,
    offset: page?.offset ?? null,
  };
}

/** True when any filter differs from the board's defaults. */
export function isFiltered(f: BoardFilters): boolean {
  return (Object.keys(DEFAULT_FILTERS) as (keyof BoardFilters)[]).some((k) => {
    const v = f[k];
    return (typeof v === 'string' ? v.trim() : v) !== DEFAULT_FILTERS[k];
  });
}

/** Whole days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const ms = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/**
 * How the due date stands for an item still owed, as of `today`: "12 days late", "due today",
 * "due tomorrow", "due in 5 days"; null when done, won't do, or without a date.
 */
export function dueLabel(item: Pick<ActionItem, 'status' | 'due_date'>, today: string): string | null {
  if (!item.due_date || (item.status !== 'open' && item.status !== 'in_progress')) return null;
  const d = daysBetween(today, item.due_date);
  if (d < 0) return d === -1 ? '1 day late' : `${-d} days late`;
  if (d === 0) return 'due today';
  if (d === 1) return 'due tomorrow';
  return `due in ${d} days`;
}

/** The board's count line: "26 items", "1 item overdue", "740 items · 201–400 shown". */
export function countLabel(total: number, shown: number, offset: number, overdueOnly: boolean): string {
  const base = `${total} item${total === 1 ? '' : 's'}${overdueOnly ? ' overdue' : ''}`;
  if (total <= shown) return base;
  return `${base} · ${shown === 0 ? 0 : offset + 1}–${offset + shown} shown`;
}

/** Where a nudge points: `action_items` (index null) or `action_items[2].owner`. */
export function nudgeTarget(field: string): { index: number | null; field: string | null } {
  const m = /^action_items\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!m) return { index: null, field: null };
  return { index: Number(m[1]), field: m[2] ?? null };
}

/** The selection after the header checkbox of a group: all of `ids` on, or all off when they all were. */
export function toggleAll(selected: ReadonlySet<string>, ids: readonly string[]): Set<string> {
  const next = new Set(selected);
  const all = ids.length > 0 && ids.every((id) => next.has(id));
  for (const id of ids) {
    if (all) next.delete(id);
    else next.add(id);
  }
  return next;
}

/** Where an item came from, for the link back: a 5-whys step or a contributing factor. */
export interface ItemSource {
  kind: 'step' | 'factor';
  id: string;
  /** The step's answer or the factor's text; null when it was deleted since. */
  text: string | null;
}

export function itemSource(
  item: Pick<ActionItem, 'source_step_id' | 'source_factor_id'>,
  pm: { whys: { steps: { id: string; answer: string; question: string }[] }[]; contributing_factors: { id: string; text: string }[] },
): ItemSource | null {
  if (item.source_factor_id) {
    const f = pm.contributing_factors.find((x) => x.id === item.source_factor_id);
    return { kind: 'factor', id: item.source_factor_id, text: f ? f.text : null };
  }
  if (item.source_step_id) {
    for (const chain of pm.whys) {
      const s = chain.steps.find((x) => x.id === item.source_step_id);
      if (s) return { kind: 'step', id: s.id, text: s.answer.trim() || s.question.trim() };
    }
    return { kind: 'step', id: item.source_step_id, text: null };
  }
  return null;
}

/**
 * A nudge's message shown inside its item. The core names the item by its title ("\"Add
 * alerts\" has no owner: …"); an item without a title yet would read "\"\" has no owner", so
 * that one reads "This item has no owner: …".
 */
export function inItemMessage(message: string, title: string): string {
  const prefix = `"${title}" has `;
  return title.trim() === '' && message.startsWith(prefix) ? `This item has ${message.slice(prefix.length)}` : message;
}

/** A tracker link shortened for a table cell: its last path segment ("REL-1213"), else its host. */
export function trackerLabel(url: string): string {
  try {
    const u = new URL(url);
    const last = u.pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : u.host || url;
  } catch {
    return url;
  }
}
