import { describe, expect, it } from 'vitest';
import { isOverdue, severityOption, severityRank, STATUS_LABEL, suggestedTemplate } from './labels';

describe('labels', () => {
  it('suggests the template the core suggests', () => {
    expect(suggestedTemplate('SEV1')).toBe('Standard blameless');
    expect(suggestedTemplate('SEV2')).toBe('Standard blameless');
    expect(suggestedTemplate('SEV3')).toBe('Light (SEV3/SEV4)');
    expect(suggestedTemplate('SEV4')).toBe('Light (SEV3/SEV4)');
  });
  it('describes severities in one line', () => {
    expect(severityOption('SEV1')).toBe('SEV1 critical: service down, data loss, breach');
    expect(severityOption('SEV4')).toBe('SEV4 low: no user impact');
    expect(severityRank('SEV1')).toBeLessThan(severityRank('SEV3'));
  });
  it('labels review statuses', () => {
    expect(STATUS_LABEL.in_review).toBe('In review');
    expect(STATUS_LABEL.final).toBe('Final');
  });
  it('counts only pending items past their due date as overdue', () => {
    const today = '2025-03-12';
    expect(isOverdue({ status: 'open', due_date: '2025-03-11' }, today)).toBe(true);
    expect(isOverdue({ status: 'in_progress', due_date: '2025-01-01' }, today)).toBe(true);
    expect(isOverdue({ status: 'open', due_date: '2025-03-12' }, today)).toBe(false);
    expect(isOverdue({ status: 'done', due_date: '2025-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'wont_do', due_date: '2025-01-01' }, today)).toBe(false);
    expect(isOverdue({ status: 'open', due_date: null }, today)).toBe(false);
  });
});
