import type { Postmortem } from '../api/types';

/**
 * The document to show after a save: the server's copy, except where it differs from what
 * is on screen only by the core's normalisation (a title's surrounding spaces, an empty
 * optional text), so the text under the cursor does not jump.
 */
export function mergeSaved(local: Postmortem, saved: Postmortem): Postmortem {
  const out: Postmortem = { ...saved };
  if (local.title.trim() === saved.title) out.title = local.title;
  if (saved.incident_commander === null && (local.incident_commander ?? '').trim() === '') {
    out.incident_commander = local.incident_commander;
  }
  if (saved.data_impact === null && (local.data_impact ?? '').trim() === '') out.data_impact = local.data_impact;
  return out;
}
