import type { ErrorPayload } from '../bindings/ErrorPayload';

function isPayload(e: unknown): e is ErrorPayload {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string'
  );
}

/**
 * Turns anything thrown (a command's `{code, message}`, a Tauri string error such as an
 * argument that failed to deserialize, a JS `Error`) into an `ErrorPayload`.
 */
export function toErrorPayload(e: unknown): ErrorPayload {
  if (isPayload(e)) return { code: e.code, message: e.message };
  if (typeof e === 'string') return { code: 'ipc', message: e || 'unknown error' };
  if (e instanceof Error) return { code: 'internal', message: e.message || e.name };
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    return { code: 'internal', message: (e as { message: string }).message };
  }
  return { code: 'internal', message: e === undefined ? 'unknown error' : String(e) };
}

/** A validation message from the core is `"field: message"`; splits it. */
export function splitValidation(p: ErrorPayload): { field: string | null; message: string } {
  if (p.code !== 'validation') return { field: null, message: p.message };
  const i = p.message.indexOf(': ');
  if (i <= 0) return { field: null, message: p.message };
  return { field: p.message.slice(0, i), message: p.message.slice(i + 2) };
}
