// What the Export dialog exports and the file names it offers. Pure, so it is unit-tested.
import type { JobResult } from '../bindings/JobResult';

/** The formats a postmortem or the library can be written in. */
export type ExportFormat = 'pdf' | 'md' | 'json';

/** What is exported: one postmortem, the whole library, or the digest of a period. */
export type ExportTarget =
  | {
      kind: 'postmortem';
      id: string;
      title: string;
      /** Saves pending edits first, so the file holds what the page shows; false when the
       * save failed (the export then does not run). */
      beforeExport?: () => Promise<boolean>;
    }
  | { kind: 'library' }
  | { kind: 'digest'; from: string; to: string };

/**
 * The name the save dialog offers. A postmortem's comes from the core (`stem`, the same name
 * `debrief export` gives it); until it has answered, a plain one.
 */
export function exportDefaultName(
  target: ExportTarget,
  format: ExportFormat,
  stem: string | null,
  from: string,
  to: string,
): string {
  switch (target.kind) {
    case 'postmortem':
      return `${stem ?? 'postmortem'}.${format}`;
    case 'library':
      return `debrief-library.${format}`;
    case 'digest':
      return `learning-review-${from}-to-${to}.pdf`;
  }
}

/** What "Open" opens once an export is done, and what the button says; null for other work. */
export function openable(result: JobResult): { path: string; label: string } | null {
  switch (result.kind) {
    case 'pdf':
      return result.files.length === 1
        ? { path: result.files[0].path, label: 'Open the file' }
        : { path: result.path, label: 'Open the folder' };
    case 'exported':
      return { path: result.path, label: 'Open the file' };
    case 'written':
      return result.files.length === 1 && result.files[0] === result.path
        ? { path: result.path, label: 'Open the file' }
        : { path: result.path, label: 'Open the folder' };
    default:
      return null;
  }
}
