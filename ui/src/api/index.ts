// The only module that talks to the Tauri core. The command wrappers are generated from the
// Rust commands (`commands.ts`, by src-tauri/build.rs); the rest are the plugins the window
// uses (dialogs, window title, links) and job events. Every failure is thrown as an
// `ErrorPayload`.
export { toErrorPayload, splitValidation } from './errors';
export type * from './types';
export * from './commands';
export * from './dialogs';
export * from './window';
export * from './links';
export * from './jobs';
export * from './events';
