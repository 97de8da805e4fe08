// How the window words long work: where a job is ("Saving 3,400 of 10,000") and what it came
// to ("10,000 postmortems added from big.json"). Pure functions over the core's job events.
import type { JobEvent } from '../bindings/JobEvent';
import type { JobResult } from '../bindings/JobResult';
import type { ErrorPayload } from '../bindings/ErrorPayload';
import type { ImportReport } from '../bindings/ImportReport';
import type { FileReport } from '../bindings/FileReport';
import type { Step } from '../bindings/Step';

const n = (x: number) => x.toLocaleString('en-US');

const PHASE: Record<string, string> = {
  reading: 'Reading',
  checking: 'Checking',
  saving: 'Saving',
  indexing: 'Indexing',
  writing: 'Writing',
  counting: 'Counting the figures',
  drawing: 'Drawing the pages',
};

/** "Saving 3,400 of 10,000", or the phase alone when the total is unknown or one file. */
export function stepText(step: Step): string {
  const verb = PHASE[step.phase] ?? step.phase;
  if (step.total <= 1) return `${verb}…`;
  return `${verb} ${n(step.done)} of ${n(step.total)}`;
}

/** Share done of the current phase, 0 to 1; null when it cannot be known (no total, or a
 * single step such as reading one file, where a bar would sit at 0% until it jumps). */
export function stepFraction(step: Step): number | null {
  if (step.total <= 1) return null;
  return Math.min(1, Math.max(0, step.done / step.total));
}

/** Whether the job has ended, one way or another. */
export function hasEnded(e: JobEvent): boolean {
  return e.state === 'done' || e.state === 'failed' || e.state === 'cancelled';
}

function reportText(r: ImportReport): string {
  const parts = [`${n(r.created)} added`];
  if (r.updated) parts.push(`${n(r.updated)} updated`);
  if (r.unchanged) parts.push(`${n(r.unchanged)} already there`);
  return parts.join(', ');
}

const fileName = (path: string) => path.split(/[\\/]/).pop() || path;

/** The first line of a message that lists many problems, and how many lines it left out. */
function firstLine(message: string): string {
  const lines = message.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 1 ? `${lines[0]} (and ${lines.length - 1} more lines)` : (lines[0] ?? '');
}

/** One line per outcome of a finished job. */
export function resultLines(result: JobResult): string[] {
  switch (result.kind) {
    case 'sample':
      return [`Sample library: ${reportText(result.report)}`];
    case 'imported':
      return result.files.map((f) =>
        f.report
          ? `${fileName(f.path)}: ${reportText(f.report)}`
          : `${fileName(f.path)}: not imported: ${firstLine(f.error?.message ?? '')}`,
      );
    case 'exported':
      return [`Wrote ${n(result.count)} to ${result.path}`];
    case 'markdown':
      return markdownLines(result.files, result.imported, result.folder);
    case 'reindexed':
      return [`Search index rebuilt: ${n(result.count)} postmortems`];
    case 'restored':
      return [
        `Restored ${fileName(result.report.from)}: ${n(result.report.postmortems)} postmortems, ${n(result.report.action_items)} action items`,
        `The library it replaced is kept as ${fileName(result.report.kept_as)}`,
        ...(result.report.index_note ? [`Note: ${result.report.index_note}`] : []),
      ];
    case 'written':
      return result.files.length === 1
        ? [`Wrote ${fileName(result.files[0])}`]
        : [`Wrote ${n(result.files.length)} files into ${result.path}`];
    case 'pdf': {
      const pages = (p: number) => `${n(p)} ${p === 1 ? 'page' : 'pages'}`;
      const lines =
        result.files.length === 1
          ? [`Wrote ${fileName(result.files[0].path)}: ${pages(result.files[0].pages)}`]
          : [`Wrote ${n(result.files.length)} PDFs into ${result.path}`];
      const missing = [...new Set(result.files.flatMap((f) => [...f.missing_characters]))].join(' ');
      if (missing) lines.push(`The fonts have no glyph for ${missing}; each is printed as �`);
      return lines;
    }
  }
}

/** What a folder of Markdown came to: one line for the whole, then one per file that failed. */
function markdownLines(files: FileReport[], imported: boolean, folder: string): string[] {
  const count = (o: string) => files.filter((f) => f.outcome === o || f.outcome === `would be ${o}`).length;
  const failed = files.filter((f) => f.outcome === 'failed');
  const parts = [`${n(count('created'))} added`];
  if (count('updated')) parts.push(`${n(count('updated'))} updated`);
  if (count('unchanged')) parts.push(`${n(count('unchanged'))} already there`);
  if (failed.length) parts.push(`${n(failed.length)} not readable`);
  const head = imported
    ? `${fileName(folder)}: ${parts.join(', ')}`
    : `Read ${n(files.length)} ${files.length === 1 ? 'file' : 'files'} in ${fileName(folder)}`;
  return [head, ...(imported ? failed.map((f) => `${f.file}: not imported: ${firstLine(f.error ?? '')}`) : [])];
}

/** Whether any file of an import failed: the tray then keeps the job until it is dismissed. */
export function hasFailures(result: JobResult): boolean {
  if (result.kind === 'markdown') return result.imported && result.files.some((f) => f.outcome === 'failed');
  return result.kind === 'imported' && result.files.some((f) => f.error !== null);
}

/** Whether the tray keeps a finished job until it is dismissed: failures to read, and
 * exports, whose "Open the file" the user may want after glancing away. */
export function staysShown(result: JobResult): boolean {
  return hasFailures(result) || result.kind === 'pdf' || result.kind === 'exported' || result.kind === 'written';
}

/** The error a finished job answers its starter with, if it did not succeed whole. */
export function jobError(e: JobEvent): ErrorPayload | null {
  if (e.state === 'failed') return e.error;
  if (e.state === 'cancelled') return { code: 'cancelled', message: e.message };
  return null;
}
