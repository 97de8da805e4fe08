// Editing a user template: section keys, moves and checks done before the core validates.
import type { Template, TemplateSection } from '../api/types';

/** A section key from a heading: "Where we got lucky" -> "where_we_got_lucky". */
export function keyFromHeading(heading: string): string {
  return (
    heading
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 48) || 'section'
  );
}

/** A key not used by another section of `sections`, adding _2, _3 ... when needed. */
export function uniqueKey(base: string, sections: readonly TemplateSection[], self?: TemplateSection): string {
  const used = new Set(sections.filter((s) => s !== self).map((s) => s.key));
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}_${n}`)) n += 1;
  return `${base}_${n}`;
}

/** Moves section `index` by -1 or +1; false at either end. */
export function moveSection(sections: TemplateSection[], index: number, by: -1 | 1): boolean {
  const other = index + by;
  if (other < 0 || other >= sections.length) return false;
  [sections[index], sections[other]] = [sections[other], sections[index]];
  return true;
}

/** Prompts as edited in a textarea, one per line. */
export const promptsFromText = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** A fresh section for a template being edited. */
export function newSection(sections: readonly TemplateSection[]): TemplateSection {
  return { key: uniqueKey('new_section', sections), heading: 'New section', guidance: '', prompts: [], required: false, placeholder: '' };
}

/** A name for a copy that no template has yet: "Standard blameless (copy)", "(copy 2)"... */
export function copyName(name: string, templates: readonly Template[]): string {
  const taken = new Set(templates.map((t) => t.name.toLowerCase()));
  let candidate = `${name} (copy)`;
  let n = 2;
  while (taken.has(candidate.toLowerCase())) candidate = `${name} (copy ${n++})`;
  return candidate;
}

/** The section a validation error names (`sections[2].key` -> 2), or null. */
export function errorSection(field: string | null): number | null {
  const m = field ? /^sections\[(\d+)\]/.exec(field) : null;
  return m ? Number(m[1]) : null;
}

/**
 * Whether a key is one the core accepts (`TemplateSection::is_valid_key`): lowercase letters,
 * digits and _. Shown while typing; the core decides on save. Held to the core's rule by the
 * golden cases in tests/fixtures/golden/section-keys.json.
 */
export const validKey = (key: string): boolean => /^[a-z0-9_]+$/.test(key);
