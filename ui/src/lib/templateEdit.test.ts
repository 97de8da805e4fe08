import { describe, expect, it } from 'vitest';
import type { Template, TemplateSection } from '../api/types';
import { copyName, errorSection, keyFromHeading, moveSection, newSection, promptsFromText, uniqueKey, validKey } from './templateEdit';

const section = (key: string): TemplateSection => ({ key, heading: key, guidance: '', prompts: [], required: false, placeholder: '' });

describe('template editing', () => {
  it('derives keys from headings', () => {
    expect(keyFromHeading('Where we got lucky')).toBe('where_we_got_lucky');
    expect(keyFromHeading('  Détection & response! ')).toBe('detection_response');
    expect(keyFromHeading('***')).toBe('section');
  });
  it('keeps keys unique', () => {
    const list = [section('summary'), section('summary_2')];
    expect(uniqueKey('summary', list)).toBe('summary_3');
    expect(uniqueKey('summary', list, list[0])).toBe('summary');
    expect(newSection(list).key).toBe('new_section');
  });
  it('moves sections within bounds', () => {
    const list = [section('a'), section('b'), section('c')];
    expect(moveSection(list, 0, -1)).toBe(false);
    expect(moveSection(list, 2, -1)).toBe(true);
    expect(list.map((s) => s.key)).toEqual(['a', 'c', 'b']);
  });
  it('reads prompts one per line and names copies', () => {
    expect(promptsFromText('What happened?\n\n  Who noticed?  \n')).toEqual(['What happened?', 'Who noticed?']);
    const templates = [{ name: 'Standard' }, { name: 'Standard (copy)' }] as Template[];
    expect(copyName('Standard', templates)).toBe('Standard (copy 2)');
  });
  it('finds the section a validation error names, and checks keys as the core does', () => {
    expect(errorSection('sections[3].key')).toBe(3);
    expect(errorSection('sections')).toBeNull();
    expect(errorSection(null)).toBeNull();
    expect(validKey('where_we_got_lucky_2')).toBe(true);
    expect(validKey('Where we')).toBe(false);
    expect(validKey('')).toBe(false);
  });
  it('moves a section down and back up to where it was', () => {
    const list = [section('a'), section('b'), section('c')];
    expect(moveSection(list, 0, 1)).toBe(true);
    expect(list.map((s) => s.key)).toEqual(['b', 'a', 'c']);
    expect(moveSection(list, 1, -1)).toBe(true);
    expect(list.map((s) => s.key)).toEqual(['a', 'b', 'c']);
    expect(moveSection(list, 2, 1)).toBe(false);
  });
});
