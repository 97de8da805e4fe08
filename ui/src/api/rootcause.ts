// Root-cause commands: fishbone layout and export, and turning 5-whys steps, fishbone causes
// and contributing factors into factors and action items. The document-changing ones are pure:
// they return the edited document, which the editor then autosaves like any other edit.
import { call } from './call';
import type { Fishbone } from '../bindings/Fishbone';
import type { FishboneLayout } from '../bindings/FishboneLayout';
import type { Nudge } from '../bindings/Nudge';
import type { Postmortem } from '../bindings/Postmortem';

/** The diagram laid out by the core (the same geometry the SVG, PNG and PDF use). */
export const layoutFishbone = (fishbone: Fishbone) => call<FishboneLayout>('layout_fishbone', { fishbone });

/** Draws the diagram to `path` (.svg or .png). */
export const exportFishbone = (fishbone: Fishbone, path: string) =>
  call<null>('export_fishbone', { fishbone, path });

export const factorFromStep = (postmortem: Postmortem, stepId: string) =>
  call<Postmortem>('factor_from_step', { postmortem, stepId });

export const factorFromCause = (postmortem: Postmortem, causeId: string) =>
  call<Postmortem>('factor_from_cause', { postmortem, causeId });

export const actionFromStep = (postmortem: Postmortem, stepId: string) =>
  call<Postmortem>('action_from_step', { postmortem, stepId });

export const actionFromFactor = (postmortem: Postmortem, factorId: string) =>
  call<Postmortem>('action_from_factor', { postmortem, factorId });

/** Nudges on the document's action items (no owner, no due date, not systemic, ...). */
export const actionNudges = (postmortem: Postmortem) => call<Nudge[]>('action_nudges', { postmortem });
