// The review workflow as the editor shows it: which of the template's required sections are
// still empty (the core refuses Final until they are written: `Template::unwritten_required`).
// The copy is here so the checklist follows the typing before autosave; the golden cases in
// tests/fixtures/golden/required-sections.json hold both to the same rule.
import type { Requirement, ReviewStatus, Section, StatusChange, Template } from '../api/types';

export type RequiredSection = { key: string; heading: string; written: boolean };

/**
 * The template's required sections and whether each is written: a section counts as empty
 * when it is missing, blank, or still holds the template's starting text.
 */
export function requiredSections(template: Template | null | undefined, sections: readonly Section[]): RequiredSection[] {
  if (!template) return [];
  return template.sections
    .filter((ts) => ts.required)
    .map((ts) => {
      const body = sections.find((s) => s.key === ts.key)?.body.trim() ?? '';
      return { key: ts.key, heading: ts.heading, written: body !== '' && body !== ts.placeholder.trim() };
    });
}

/** The template a postmortem was started from, by name (case-insensitive). */
export const templateNamed = (templates: readonly Template[], name: string | null): Template | null =>
  name ? (templates.find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null) : null;

/**
 * How the 48-hour draft deadline went: still running, missed and still a draft, or met or
 * missed by the first move out of Draft (the core flags only drafts that are late now).
 */
export type DraftOutcome =
  | { kind: 'pending'; days: number }
  | { kind: 'overdue'; days: number }
  | { kind: 'on_time' }
  | { kind: 'late'; days: number };

const DAY_MS = 86_400_000;

export function draftOutcome(
  requirement: Pick<Requirement, 'draft_due' | 'draft_overdue'>,
  status: ReviewStatus,
  history: readonly StatusChange[],
  now: Date = new Date(),
): DraftOutcome | null {
  if (!requirement.draft_due) return null;
  const due = Date.parse(requirement.draft_due);
  if (status === 'draft') {
    return requirement.draft_overdue
      ? { kind: 'overdue', days: Math.max(1, Math.ceil((now.getTime() - due) / DAY_MS)) }
      : { kind: 'pending', days: Math.max(0, Math.ceil((due - now.getTime()) / DAY_MS)) };
  }
  const submitted = history.find((h) => h.from === 'draft' && h.to !== 'draft');
  // Moved on before history was kept (an imported document): nothing says it was late.
  if (!submitted) return { kind: 'on_time' };
  const at = Date.parse(submitted.at);
  return at <= due ? { kind: 'on_time' } : { kind: 'late', days: Math.max(1, Math.ceil((at - due) / DAY_MS)) };
}

/** "1 day", "3 days". */
export const days = (n: number): string => `${n} day${n === 1 ? '' : 's'}`;
