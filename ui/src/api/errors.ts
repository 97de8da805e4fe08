import type { ErrorCode } from '../bindings/ErrorCode';
import type { ErrorPayload } from '../bindings/ErrorPayload';

/** Every code the core, the shell and the window use (the `ErrorCode` union, as values). */
const CODES: Record<ErrorCode, true> = {
  validation: true,
  not_found: true,
  database_too_new: true,
  parse: true,
  io: true,
  search: true,
  render: true,
  database: true,
  cancelled: true,
  git: true,
  changed: true,
  library_closed: true,
  internal: true,
  ipc: true,
  no_core: true,
};

function isPayload(e: unknown): e is ErrorPayload {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    (e as { code: string }).code in CODES &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/**
 * Turns anything thrown (a command's `{code, message}`, a Tauri string error such as an
 * argument that failed to deserialize, a JS `Error`) into an `ErrorPayload`.
 */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isPayload(e)) return e.field ? { code: e.code, message: e.message, field: e.field } : { code: e.code, message: e.message };
  if (typeof e === 'string') return { code: 'ipc', message: e || 'unknown error' };
  if (e instanceof Error) return { code: 'internal', message: e.message || e.name };
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return { code: 'internal', message: (e as { message: string }).message };
  }
  return { code: 'internal', message: e === undefined ? 'unknown error' : String(e) };
}

/**
 * The field a validation error names (`sections[2].key`) and its problem without the field
 * ("must not be empty"); for other errors, no field and the whole message.
 */
export function splitValidation(p: ErrorPayload): { field: string | null; message: string } {
  return p.field ? { field: p.field.path, message: p.field.problem } : { field: null, message: p.message };
}
