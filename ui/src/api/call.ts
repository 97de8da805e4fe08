// The one place commands are invoked: checks that the core is reachable and turns every
// failure into an `ErrorPayload` ({ code, message }).
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { toErrorPayload } from './errors';
import type { ErrorPayload } from './types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  if (!('__TAURI_INTERNALS__' in window)) {
    throw {
      code: 'no_core',
      message: 'the Debrief core is not reachable: this page must run inside the Debrief app window',
    } satisfies ErrorPayload;
  }
  try {
    return await invoke<T>(cmd, args === undefined ? undefined : (args as InvokeArgs));
  } catch (e) {
    throw toErrorPayload(e);
  }
}
