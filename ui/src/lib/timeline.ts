import type { TimelineEvent } from '../api/types';
import { utcDay } from './format';

export interface TimelineDay {
  day: string;
  events: TimelineEvent[];
}

/** Events in time order (stable for equal times), grouped by UTC day. */
export function groupByUtcDay(events: readonly TimelineEvent[]): TimelineDay[] {
  const sorted = events
    .map((e, i) => ({ e, i, t: new Date(e.at).getTime() }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
  const days: TimelineDay[] = [];
  for (const e of sorted) {
    const day = utcDay(e.at);
    const last = days[days.length - 1];
    if (last && last.day === day) last.events.push(e);
    else days.push({ day, events: [e] });
  }
  return days;
}
