import { describe, expect, it } from 'vitest';
import {
  APP_ACTIONS,
  PALETTE_ACTIONS,
  actionForKey,
  ariaKeys,
  keysLabel,
  matchesKeys,
  paletteMatches,
  platformOf,
} from './app-actions';

const key = (k: string, m: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...m,
});

describe('the platform', () => {
  it('is a Mac for macOS and iPad navigators, and other for the rest', () => {
    expect(platformOf('MacIntel')).toBe('mac');
    expect(platformOf('Linux x86_64')).toBe('other');
    expect(platformOf('Win32')).toBe('other');
  });
});

describe('keys as each platform writes them', () => {
  it('uses symbols on a Mac', () => {
    expect(keysLabel('CmdOrCtrl+Shift+P', 'mac')).toBe('⌘⇧P');
    expect(keysLabel('CmdOrCtrl+=', 'mac')).toBe('⌘=');
    expect(keysLabel('CmdOrCtrl+-', 'mac')).toBe('⌘-');
    expect(keysLabel('Alt+Enter', 'mac')).toBe('⌥↩');
    expect(keysLabel('Alt+Enter', 'other')).toBe('Alt+Enter');
  });
  it('spells Ctrl elsewhere', () => {
    expect(keysLabel('CmdOrCtrl+Shift+P', 'other')).toBe('Ctrl+Shift+P');
    expect(keysLabel('CmdOrCtrl+/', 'other')).toBe('Ctrl+/');
    expect(keysLabel('CmdOrCtrl+-', 'other')).toBe('Ctrl+-');
  });
  it('leaves keys of one screen as written, with arrows for directions', () => {
    expect(keysLabel('Right', 'mac')).toBe('→');
    expect(keysLabel('1-9, 0, a-z', 'other')).toBe('1-9, 0, a-z');
    expect(keysLabel('Escape', 'other')).toBe('Esc');
  });
  it('gives aria-keyshortcuts with Meta on a Mac and Control elsewhere', () => {
    expect(ariaKeys('CmdOrCtrl+K', 'mac')).toBe('Meta+K');
    expect(ariaKeys('CmdOrCtrl+K', 'other')).toBe('Control+K');
  });
});

describe('matching a key press', () => {
  it('takes Cmd on a Mac and not Ctrl', () => {
    expect(matchesKeys(key('p', { metaKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+P', 'mac')).toBe(true);
    expect(matchesKeys(key('p', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+P', 'mac')).toBe(false);
  });
  it('takes Ctrl elsewhere and not Cmd', () => {
    expect(matchesKeys(key('P', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+P', 'other')).toBe(true);
    expect(matchesKeys(key('p', { metaKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+P', 'other')).toBe(false);
  });
  it('wants the modifiers exactly', () => {
    expect(matchesKeys(key('n', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+N', 'other')).toBe(false);
    expect(matchesKeys(key('n', { ctrlKey: true, altKey: true }), 'CmdOrCtrl+N', 'other')).toBe(false);
    expect(matchesKeys(key('n'), 'CmdOrCtrl+N', 'other')).toBe(false);
  });
  it('takes = or + for zoom in, and digits and slashes as typed', () => {
    expect(matchesKeys(key('+', { ctrlKey: true }), 'CmdOrCtrl+=', 'other')).toBe(true);
    expect(matchesKeys(key('=', { metaKey: true }), 'CmdOrCtrl+=', 'mac')).toBe(true);
    expect(actionForKey(key('3', { ctrlKey: true }), 'other')?.id).toBe('go-insights');
    expect(actionForKey(key('/', { metaKey: true }), 'mac')?.id).toBe('shortcuts');
    expect(actionForKey(key('c', { ctrlKey: true }), 'other')).toBeUndefined(); // the clipboard's own
    expect(actionForKey(key('x'), 'other')).toBeUndefined();
  });
});

describe('the palette', () => {
  it('offers every menu action but the clipboard and the recent submenu', () => {
    const ids = PALETTE_ACTIONS.map((a) => a.id);
    expect(ids).toContain('palette');
    expect(ids).toContain('about');
    expect(ids).not.toContain('copy');
    expect(ids).not.toContain('undo');
    expect(ids).not.toContain('recent-libraries');
    expect(ids).not.toContain('meeting-next');
  });
  it('finds actions by every word typed, in the label or the menu', () => {
    expect(paletteMatches('zoom in', PALETTE_ACTIONS).map((a) => a.id)).toEqual(['zoom-in']);
    expect(paletteMatches('go insi', PALETTE_ACTIONS).map((a) => a.id)).toEqual(['go-insights']);
    expect(paletteMatches('', PALETTE_ACTIONS)).toHaveLength(PALETTE_ACTIONS.length);
    expect(paletteMatches('nothing like this', PALETTE_ACTIONS)).toEqual([]);
  });
  it('never has two actions on one accelerator, and every action has a label', () => {
    const keys = APP_ACTIONS.filter((a) => a.menu && a.keys).map((a) => a.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(APP_ACTIONS.every((a) => a.label.length > 0 && (a.menu || a.context))).toBe(true);
  });
});
