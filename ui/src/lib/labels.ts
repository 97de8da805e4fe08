import type {
  ActionItem,
  ActionKind,
  ActionStatus,
  EventKind,
  Marker,
  ReviewStatus,
  Severity,
} from '../api/types';

export const SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
export const STATUSES: readonly ReviewStatus[] = ['draft', 'in_review', 'final'];

export const SEVERITY_INFO: Record<Severity, { label: string; description: string }> = {
  SEV1: { label: 'Critical', description: 'service down, data loss, breach' },
  SEV2: { label: 'Major', description: 'significant degradation' },
  SEV3: { label: 'Minor', description: 'workaround exists' },
  SEV4: { label: 'Low', description: 'no user impact' },
};

/** "SEV1 critical: service down, data loss, breach". */
export function severityOption(s: Severity): string {
  const i = SEVERITY_INFO[s];
  return `${s} ${i.label.toLowerCase()}: ${i.description}`;
}

/** SEV1 = 1 ... SEV4 = 4; lower is more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s) + 1;
}

export const STATUS_LABEL: Record<ReviewStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  final: 'Final',
};

export function statusRank(s: ReviewStatus): number {
  return STATUSES.indexOf(s);
}

export const STANDARD_TEMPLATE = 'Standard blameless';
export const LIGHT_TEMPLATE = 'Light (SEV3/SEV4)';

/**
 * The template the core suggests for a severity (`templates::suggested_for`), held to it by
 * tests/fixtures/golden/suggested-template.json.
 */
export function suggestedTemplate(s: Severity): string {
  return s === 'SEV1' || s === 'SEV2' ? STANDARD_TEMPLATE : LIGHT_TEMPLATE;
}

export const EVENT_KIND_LABEL: Record<EventKind, string> = {
  trigger: 'Trigger',
  detection: 'Detection',
  acknowledgement: 'Acknowledged',
  escalation: 'Escalation',
  decision: 'Decision',
  action: 'Action',
  communication: 'Comms',
  mitigation: 'Mitigation',
  resolution: 'Resolution',
  other: 'Other',
};

export const MARKER_LABEL: Record<Marker, string> = {
  started: 'started',
  detected: 'detected',
  acknowledged: 'acknowledged',
  mitigated: 'mitigated',
  resolved: 'resolved',
};

export const ACTION_STATUS_LABEL: Record<ActionStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  wont_do: "Won't do",
};

export const ACTION_KIND_LABEL: Record<ActionKind, string> = {
  detect: 'Detect',
  mitigate: 'Mitigate',
  prevent: 'Prevent',
  process: 'Process',
};

/**
 * Still owed and past its due date: the core's `ActionItem::is_overdue`, held to it by the
 * golden cases in tests/fixtures/golden/overdue.json.
 */
export function isOverdue(item: Pick<ActionItem, 'status' | 'due_date'>, today: string): boolean {
  const pending = item.status === 'open' || item.status === 'in_progress';
  return pending && item.due_date !== null && item.due_date < today;
}
