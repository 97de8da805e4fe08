// UI-side views of the generated bindings.
//
// ts-rs types Rust's i64 as `bigint`, but values cross Tauri's IPC as JSON numbers, so at run
// time they are plain numbers. `Wire<T>` states that honestly: every `bigint` becomes `number`.
import type * as B from '../bindings/Postmortem';
import type { PostmortemView as BView } from '../bindings/PostmortemView';
import type { PostmortemSummary as BSummary } from '../bindings/PostmortemSummary';
import type { LibraryStatus as BStatus } from '../bindings/LibraryStatus';
import type { Durations as BDurations } from '../bindings/Durations';
import type { Taxonomy as BTaxonomy } from '../bindings/Taxonomy';
import type { Template as BTemplate } from '../bindings/Template';

export type Wire<T> = T extends bigint
  ? number
  : T extends Array<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type Postmortem = Wire<B.Postmortem>;
export type PostmortemView = Wire<BView>;
export type PostmortemSummary = Wire<BSummary>;
export type LibraryStatus = Wire<BStatus>;
export type Durations = Wire<BDurations>;
export type Taxonomy = Wire<BTaxonomy>;
export type Template = Wire<BTemplate>;

export type { ActionItem } from '../bindings/ActionItem';
export type { ActionKind } from '../bindings/ActionKind';
export type { ActionStatus } from '../bindings/ActionStatus';
export type { ContributingFactor } from '../bindings/ContributingFactor';
export type { ErrorPayload } from '../bindings/ErrorPayload';
export type { EventKind } from '../bindings/EventKind';
export type { Fishbone } from '../bindings/Fishbone';
export type { FishboneCause } from '../bindings/FishboneCause';
export type { ImportReport } from '../bindings/ImportReport';
export type { ListFilter } from '../bindings/ListFilter';
export type { Marker } from '../bindings/Marker';
export type { NewPostmortem } from '../bindings/NewPostmortem';
export type { Priority } from '../bindings/Priority';
export type { ReviewStatus } from '../bindings/ReviewStatus';
export type { Section } from '../bindings/Section';
export type { Severity } from '../bindings/Severity';
export type { TemplateSection } from '../bindings/TemplateSection';
export type { TimelineEvent } from '../bindings/TimelineEvent';
export type { WhyStep } from '../bindings/WhyStep';
export type { WhysChain } from '../bindings/WhysChain';
