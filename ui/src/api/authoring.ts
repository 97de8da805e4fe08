// Authoring commands: the language coach, timeline import, and user templates.
import { call } from './call';
import type { Finding } from '../bindings/Finding';
import type { ImportedEvent } from '../bindings/ImportedEvent';
import type { Postmortem } from '../bindings/Postmortem';
import type { Template } from '../bindings/Template';

/** Blameless-language findings for the document as it is being edited. */
export const lintPostmortem = (postmortem: Postmortem) => call<Finding[]>('lint_postmortem', { postmortem });

export type TimelineFormat = 'lines' | 'csv' | 'slack';

/**
 * Reads pasted lines, CSV or Slack channel files (`[name, content]` pairs) into events for
 * review; a line that cannot be read fails with a `parse` error naming it.
 */
export const parseTimeline = (
  format: TimelineFormat,
  text: string,
  files: [string, string][],
  date: string | null,
  zone: string,
) => call<ImportedEvent[]>('parse_timeline', { format, text, files, date, zone });

/** The document with `events` added (pure; the editor autosaves it). */
export const mergeTimelineEvents = (postmortem: Postmortem, events: ImportedEvent[]) =>
  call<Postmortem>('merge_timeline_events', { postmortem, events });

export const saveTemplate = (template: Template) => call<Template>('save_template', { template });

export const copyTemplate = (name: string, newName: string) => call<Template>('copy_template', { name, newName });

export const deleteTemplate = (name: string) => call<null>('delete_template', { name });

/** Who status changes are recorded as: the `user_name` setting, else the computer's user. */
export const currentUser = () => call<string>('current_user');
