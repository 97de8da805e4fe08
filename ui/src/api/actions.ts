// The action-item board across the library.
import { call } from './call';
import type { ActionFilter } from '../bindings/ActionFilter';
import type { ActionItem } from '../bindings/ActionItem';
import type { ActionPage } from '../bindings/ActionPage';
import type { ActionRow } from '../bindings/ActionRow';
import type { ActionStatus } from '../bindings/ActionStatus';
import type { FollowThrough } from '../bindings/FollowThrough';

/** A page of items matching `filter` (limit/offset), with the total that match. */
export const listActions = (filter: ActionFilter) => call<ActionPage>('list_actions', { filter });

/** Sets the status of every item in `ids`, all or nothing; won't-do needs a reason. */
export const setActionStatus = (ids: string[], status: ActionStatus, reason: string | null) =>
  call<number>('set_action_status', { ids, status, reason });

/** Saves one edited item into its postmortem. */
export const updateAction = (item: ActionItem) => call<ActionRow>('update_action', { item });

export const followThrough = () => call<FollowThrough>('follow_through');
