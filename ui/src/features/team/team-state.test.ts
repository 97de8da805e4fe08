import { describe, expect, it, vi } from 'vitest';
import type { TeamStatus } from '../../api';

// The remote, as the window's status readings see it: what a fetch learned is known locally
// only once the fetch has finished.
const remote = vi.hoisted(() => ({
  toReceive: 0,
  fetched: 0,
  pendingFetch: null as null | (() => void),
}));

vi.mock('../../api', () => ({
  teamSync: vi.fn(),
  teamStatus: vi.fn(async (fetch: boolean) => {
    if (fetch) {
      await new Promise<void>((release) => (remote.pendingFetch = release));
      remote.fetched = remote.toReceive;
    }
    return { url: 'git@example.com:team/postmortems.git', to_receive: remote.fetched, interval_minutes: 0 } as unknown as TeamStatus;
  }),
}));
vi.mock('../../state/notices.svelte', () => ({ showError: vi.fn() }));

const { TeamState } = await import('./team-state.svelte');

describe('TeamState', () => {
  it('shows what a slow fetch found even when a quicker reading answered first', async () => {
    const team = new TeamState();
    remote.toReceive = 2;
    const fetching = team.refresh(true);
    // A local reading (after a save, say) starts later and answers first.
    await team.refresh(false);
    expect(team.status?.to_receive).toBe(0);
    remote.pendingFetch?.();
    await fetching;
    expect(team.status?.to_receive).toBe(2);
  });
});
