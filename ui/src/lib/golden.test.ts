// The golden cases in tests/fixtures/golden/: rules the window repeats from the core so it can
// answer while the user types. `cargo test` checks the core against the same files
// (tests/integration/golden.rs), so the two copies cannot drift apart.
import { describe, expect, it } from 'vitest';
import type { ActionStatus, Section, Severity, Template } from '../api/types';
import categories from '../../../tests/fixtures/golden/fishbone-categories.json';
import overdue from '../../../tests/fixtures/golden/overdue.json';
import required from '../../../tests/fixtures/golden/required-sections.json';
import filterNames from '../../../tests/fixtures/golden/search-filter-names.json';
import keys from '../../../tests/fixtures/golden/section-keys.json';
import clocks from '../../../tests/fixtures/golden/meeting-clocks.json';
import roles from '../../../tests/fixtures/golden/meeting-roles.json';
import suggested from '../../../tests/fixtures/golden/suggested-template.json';
import { DEFAULT_CATEGORIES } from './fishbone';
import { clocksAt, ROLE_LABEL } from './meeting';
import { isOverdue, suggestedTemplate } from './labels';
import { requiredSections } from './review';
import { FILTER_NAMES } from './search';
import { validKey } from './templateEdit';

describe('golden cases shared with the core', () => {
  it('meeting roles: the words the core writes into participants', () => {
    expect(Object.keys(ROLE_LABEL).length).toBe(roles.length);
    for (const c of roles) expect(ROLE_LABEL[c.role as keyof typeof ROLE_LABEL], c.role).toBe(c.label);
  });

  it('meeting clocks: the screen counts on from the last answer as the core would', () => {
    expect(clocks.length).toBeGreaterThanOrEqual(5);
    for (const c of clocks) expect(clocksAt(c.at_read, c.elapsed_ms), c.why).toEqual(c.later);
  });

  it('overdue: still owed and past its due date', () => {
    expect(overdue.length).toBeGreaterThanOrEqual(5);
    for (const c of overdue) {
      const item = { status: c.status as ActionStatus, due_date: c.due_date };
      expect(isOverdue(item, c.today), c.why).toBe(c.overdue);
    }
  });

  it('required sections: which are still unwritten', () => {
    const template = required.template as Template;
    for (const c of required.cases) {
      const unwritten = requiredSections(template, c.sections as Section[])
        .filter((s) => !s.written)
        .map((s) => s.heading);
      expect(unwritten, c.why).toEqual(c.unwritten);
    }
  });

  it('section keys: which the core accepts', () => {
    for (const c of keys) expect(validKey(c.key), JSON.stringify(c.key)).toBe(c.valid);
  });

  it("fishbone categories: the core's default list", () => {
    expect(DEFAULT_CATEGORIES).toEqual(categories);
  });

  it('suggested template: the one the core suggests for each severity', () => {
    for (const c of suggested) expect(suggestedTemplate(c.severity as Severity), c.severity).toBe(c.template);
  });

  it("search filter names: the names the core's query parser knows", () => {
    expect([...FILTER_NAMES]).toEqual(filterNames);
  });
});
