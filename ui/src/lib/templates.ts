import type { Template, TemplateSection } from '../api/types';

/** The guidance for a section: the postmortem's template by name (case-insensitive), then the key. */
export function findTemplateSection(
  templates: readonly Template[],
  templateName: string | null,
  key: string,
): TemplateSection | null {
  if (!templateName) return null;
  const t = templates.find((x) => x.name.toLowerCase() === templateName.toLowerCase());
  return t?.sections.find((s) => s.key === key) ?? null;
}
