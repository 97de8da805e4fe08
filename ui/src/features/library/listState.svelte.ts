// Sort and filters of the library list; kept at module level so they survive a visit to a
// postmortem and back.
import { DEFAULT_SORT, NO_FILTERS, type Filters, type Sort } from '../../lib/listing';

export const listState: { sort: Sort; filters: Filters } = $state({
  sort: { ...DEFAULT_SORT },
  filters: { ...NO_FILTERS, severities: [], statuses: [] },
});
