import { TwinState, TwinView } from '../twin-document';
import { behaviourFromTags, connectionStateOf } from '../simulated-device.behaviour';
import { DeviceRow, twinStateOf } from './device-row';

/** A device's twin as this process knows it: what the database holds, and that plus writes still on their way. */
export interface CachedDevice {
  readonly id: string;
  readonly deviceEtag: string;
  committed: TwinState;
  committedAt: Date;
  /** Where the next patch starts from; ahead of `committed` while writes are being committed. */
  latest: TwinState;
  latestAt: Date;
}

interface Load {
  waiters: ((device: CachedDevice | null) => void)[];
  failures: ((error: unknown) => void)[];
  /** Written by another statement while the load was under way: hand the row out, do not keep it. */
  stale: boolean;
}

const LOAD_BATCH = 1000;

/**
 * Twins kept in memory so that reads cost no database round trip. Every write still goes to the
 * database guarded by the twin version the cache started from, so a stale entry makes a write
 * fail as a conflict (and the entry is dropped) rather than lose an update; statements that write
 * devices outside the cache (registry, acknowledgements) call `invalidate` after they commit.
 * Misses arriving together are read in one statement.
 */
export class DeviceCache {
  private readonly devices = new Map<string, CachedDevice>();
  private readonly loading = new Map<string, Load>();
  private queued: string[] = [];
  private loadScheduled = false;

  constructor(
    private readonly readRows: (ids: string[]) => Promise<DeviceRow[]>,
    /**
     * Twins kept at most, the oldest dropped first. A job touches each device a few times within
     * seconds (read, patch, acknowledgement), so a window this size serves nearly every read while
     * the memory stays bounded whatever the fleet.
     */
    private readonly capacity = 20_000,
  ) {}

  get(id: string): Promise<CachedDevice | null> {
    const cached = this.devices.get(id);
    if (cached) return Promise.resolve(cached);
    return new Promise((resolve, reject) => {
      let load = this.loading.get(id);
      if (!load) {
        load = { waiters: [], failures: [], stale: false };
        this.loading.set(id, load);
        this.queued.push(id);
        this.scheduleLoad();
      }
      load.waiters.push(resolve);
      load.failures.push(reject);
    });
  }

  /** After a write of these devices committed, applies it as the committed state if nothing newer is known. */
  committed(id: string, state: TwinState, at: Date): void {
    const device = this.devices.get(id);
    if (!device || state.twinVersion < device.committed.twinVersion) return;
    device.committed = state;
    device.committedAt = at;
  }

  invalidate(ids: Iterable<string>): void {
    for (const id of ids) {
      this.devices.delete(id);
      const load = this.loading.get(id);
      if (load) load.stale = true;
    }
  }

  private scheduleLoad(): void {
    if (this.loadScheduled) return;
    this.loadScheduled = true;
    setImmediate(() => {
      this.loadScheduled = false;
      while (this.queued.length > 0) void this.loadBatch(this.queued.splice(0, LOAD_BATCH));
    });
  }

  private async loadBatch(ids: string[]): Promise<void> {
    let rows: DeviceRow[];
    try {
      rows = await this.readRows(ids);
    } catch (error) {
      for (const id of ids) {
        const load = this.loading.get(id);
        this.loading.delete(id);
        load?.failures.forEach((fail) => fail(error));
      }
      return;
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const id of ids) {
      const load = this.loading.get(id);
      this.loading.delete(id);
      if (!load) continue;
      const row = byId.get(id);
      const device = row ? deviceOf(row) : null;
      if (device && !load.stale) this.keep(device);
      load.waiters.forEach((resolve) => resolve(device));
    }
  }

  private keep(device: CachedDevice): void {
    this.devices.set(device.id, device);
    if (this.devices.size > this.capacity) {
      const oldest = this.devices.keys().next().value;
      if (oldest !== undefined) this.devices.delete(oldest);
    }
  }
}

function deviceOf(row: DeviceRow): CachedDevice {
  const state = twinStateOf(row);
  const at = new Date(row.updated_at);
  return { id: row.id, deviceEtag: row.etag, committed: state, committedAt: at, latest: state, latestAt: at };
}

export function twinViewOfCached(device: CachedDevice, state: TwinState, at: Date): TwinView {
  return {
    deviceId: device.id,
    deviceEtag: device.deviceEtag,
    state,
    connectionState: connectionStateOf(behaviourFromTags(state.tags)),
    updatedAt: at,
  };
}
