// The app's actions, from app-actions.json: the table the native menu (src-tauri/src/menu.rs),
// the command palette and the keyboard-shortcut sheet all read. Here: how an action's keys
// read and match on each platform (Cmd on macOS, Ctrl elsewhere), and the palette's choices.
import table from './app-actions.json';

export type Platform = 'mac' | 'other';

export interface AppAction {
  id: string;
  label: string;
  /** The native menu it is in; absent for a key of one screen. */
  menu?: string;
  /** The screen a key works on (shown on the sheet, not in the menu or the palette). */
  context?: string;
  /** Tauri's accelerator syntax; CmdOrCtrl is Cmd on macOS, Ctrl elsewhere. */
  keys?: string;
  /** An item the platform provides (the clipboard's). */
  role?: string;
  separator?: boolean;
  submenu?: string;
}

export const MENUS: string[] = table.menus;
export const APP_ACTIONS: AppAction[] = table.actions;

/** The platform a navigator string names. */
export function platformOf(navigatorPlatform: string): Platform {
  return /Mac|iPhone|iPad/.test(navigatorPlatform) ? 'mac' : 'other';
}

export const PLATFORM: Platform =
  typeof navigator === 'undefined' ? 'other' : platformOf(navigator.platform || navigator.userAgent);

const MAC_SYMBOLS: Record<string, string> = { CmdOrCtrl: '⌘', Cmd: '⌘', Ctrl: '⌃', Shift: '⇧', Alt: '⌥' };
const KEY_NAMES: Record<string, string> = { Escape: 'Esc', Right: '→', Left: '←', Up: '↑', Down: '↓' };

/** Splits an accelerator into its parts; the last may itself be `-` or `=`. */
function parts(keys: string): string[] {
  const tokens = keys.split('+');
  return tokens.length > 1 && tokens[tokens.length - 1] === '' ? [...tokens.slice(0, -2), '+'] : tokens;
}

const isAccelerator = (keys: string) => /^(CmdOrCtrl|Cmd|Ctrl|Shift|Alt)\+/.test(keys);

/** Keys as the platform writes them: ⌘⇧P on a Mac, Ctrl+Shift+P elsewhere. */
export function keysLabel(keys: string, platform: Platform): string {
  if (!isAccelerator(keys)) return KEY_NAMES[keys] ?? keys;
  const named = parts(keys).map((p) => KEY_NAMES[p] ?? p);
  if (platform === 'mac') return named.map((p) => MAC_SYMBOLS[p] ?? (p === 'Enter' ? '↩' : p.length === 1 ? p.toUpperCase() : p)).join('');
  return named.map((p) => (p === 'CmdOrCtrl' || p === 'Cmd' ? 'Ctrl' : p.length === 1 ? p.toUpperCase() : p)).join('+');
}

/** The keys in `aria-keyshortcuts` form (Meta+Shift+P, Control+Shift+P). */
export function ariaKeys(keys: string, platform: Platform): string {
  if (!isAccelerator(keys)) return keys;
  const aria: Record<string, string> = { CmdOrCtrl: platform === 'mac' ? 'Meta' : 'Control', Cmd: 'Meta', Ctrl: 'Control' };
  return parts(keys).map((p) => aria[p] ?? p).join('+');
}

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key event is the accelerator `keys` on `platform` (modifiers exactly). */
export function matchesKeys(e: KeyLike, keys: string, platform: Platform): boolean {
  if (!isAccelerator(keys)) return false;
  const p = parts(keys);
  const key = p[p.length - 1];
  const mods = new Set(p.slice(0, -1));
  const cmd = mods.has('CmdOrCtrl') || mods.has('Cmd');
  const wantMeta = platform === 'mac' ? cmd : false;
  const wantCtrl = platform === 'mac' ? mods.has('Ctrl') : cmd || mods.has('Ctrl');
  if (e.metaKey !== wantMeta || e.ctrlKey !== wantCtrl || e.altKey !== mods.has('Alt')) return false;
  if (e.shiftKey !== mods.has('Shift')) return false;
  const pressed = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  // Zoom in: "=" is "+" on some layouts.
  if (key === '=') return pressed === '=' || pressed === '+';
  return pressed === key.toLowerCase();
}

/** What the command palette offers: every menu action but the platform's own items. */
export const PALETTE_ACTIONS: AppAction[] = APP_ACTIONS.filter((a) => a.menu && !a.role && !a.submenu);

/** The palette's choices for `query`: every word in the label or the menu's name. */
export function paletteMatches<T extends { label: string; menu?: string }>(query: string, choices: T[]): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return choices.filter((c) => {
    const text = `${c.menu ?? ''} ${c.label}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** The action whose accelerator `e` is, among the menu's (none for plain typing). */
export function actionForKey(e: KeyLike, platform: Platform): AppAction | undefined {
  return APP_ACTIONS.find((a) => a.menu && !a.role && a.keys && matchesKeys(e, a.keys, platform));
}
