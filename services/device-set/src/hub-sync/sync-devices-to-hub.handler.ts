import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import { DEVICE_GATEWAY, DeviceGateway, HubDevice } from '@fleetjobs/device-gateway';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { deviceSetMetrics } from '../device-set.metrics';
import { CallsResult, HubRegistryCalls, HubSyncStopped } from './hub-registry.calls';
import { HUB_SYNC_CONFIG, HubSyncConfig } from './hub-sync.config';
import { hubSyncRepository, LeasedDevice, LeaseOutcome } from './hub-sync.repository';

/** Most devices per registry call (the gateway's limit). */
export const HUB_CALL_SIZE = 100;
/** Registry calls one sync has in flight at once. */
const GROUPS_AT_ONCE = 4;
const FIRST_LEASE_WAIT_MS = 20;
const MAX_LEASE_WAIT_MS = 1000;

export interface SyncOptions {
  /** Who asks, for the failure records and metrics: the background sync or a job's targets. */
  source: 'background' | 'targets';
  /** Deletes from the hub the ids that are no longer devices (the background sync); otherwise they are left alone. */
  deleteMissing: boolean;
}

/**
 * Brings the hub's registry to the CURRENT state of some devices, whatever event or job asked:
 * devices whose current version the hub may not hold are written (at most 100 per call), deleted
 * devices deleted. One writer at a time per device: a writer leases the devices, reads their rows
 * only then, writes them and records the version written, so a slow writer never puts an older
 * state over a newer one and nobody writes a device whose current state is already in the hub.
 * Devices leased by another writer are waited for, then looked at again.
 *
 * Failures are bounded (see `HubRegistryCalls`): a device the hub refuses, or that keeps failing
 * for the whole retry window, is recorded in `hub_sync_failures`, counted and logged, and the
 * caller moves on. A refused version is not tried again until the device changes; one that only
 * failed is tried again by the next sync or job that needs it. Without a hub, nothing is done.
 */
@Injectable()
export class SyncDevicesToHubHandler implements OnModuleDestroy {
  private readonly logger = new Logger(SyncDevicesToHubHandler.name);
  private readonly calls: HubRegistryCalls | null;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(HUB_SYNC_CONFIG) private readonly config: HubSyncConfig,
    @Optional() @Inject(DEVICE_GATEWAY) gateway?: DeviceGateway,
  ) {
    this.calls = gateway ? new HubRegistryCalls(gateway, config, { pause: (ms) => this.pause(ms) }) : null;
  }

  /** Whether a hub is configured. */
  get connected(): boolean {
    return this.calls !== null;
  }

  /** Resolves once the hub holds the current state of `ids` (or gave up on some); throws `HubSyncStopped` on shutdown. */
  async sync(ids: readonly string[], options: SyncOptions): Promise<void> {
    const calls = this.calls;
    if (!calls) return;
    const unique = [...new Set(ids)];
    const groups: string[][] = [];
    for (let start = 0; start < unique.length; start += HUB_CALL_SIZE) groups.push(unique.slice(start, start + HUB_CALL_SIZE));
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      try {
        while (!failed && next < groups.length) await this.syncGroup(calls, groups[next++], options);
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    await Promise.all(Array.from({ length: Math.min(GROUPS_AT_ONCE, groups.length) }, worker));
  }

  onModuleDestroy(): void {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
  }

  private async syncGroup(calls: HubRegistryCalls, ids: string[], options: SyncOptions): Promise<void> {
    let pending = await hubSyncRepository.needingSync(this.dataSource, ids, options.deleteMissing);
    for (let wait = FIRST_LEASE_WAIT_MS; pending.length > 0; wait = Math.min(wait * 2, MAX_LEASE_WAIT_MS)) {
      const owner = randomUUID();
      const leased = new Set(await hubSyncRepository.claim(this.dataSource, pending, owner, this.config.leaseMs));
      if (leased.size > 0) await this.underLease(calls, owner, options);
      const others = pending.filter((id) => !leased.has(id));
      if (others.length === 0) return;
      // Another writer holds them: once it is done they are most likely in step already.
      deviceSetMetrics.hubLeaseWaits.inc({ source: options.source });
      await this.pause(wait);
      pending = await hubSyncRepository.needingSync(this.dataSource, others, options.deleteMissing);
    }
  }

  private async underLease(calls: HubRegistryCalls, owner: string, options: SyncOptions): Promise<void> {
    const renewal = setInterval(() => {
      hubSyncRepository.renew(this.dataSource, owner, this.config.leaseMs).catch((error: unknown) => {
        this.logger.warn(`could not renew a hub sync lease: ${String(error)}`);
      });
    }, Math.max(10, Math.floor(this.config.leaseMs / 3)));
    const outcome: LeaseOutcome = { synced: [], deleted: [], failed: [] };
    try {
      const devices = await hubSyncRepository.leased(this.dataSource, owner);
      const upserts = devices.filter(isBehind);
      const deletes = options.deleteMissing ? devices.filter((device) => device.version === null) : [];
      if (upserts.length > 0) {
        const result = await calls.upsert(upserts.map(toHubDevice));
        const versions = new Map(upserts.map((device) => [device.deviceId, device.version as string]));
        outcome.synced.push(...result.done.map((deviceId) => ({ deviceId, version: versions.get(deviceId) as string })));
        this.giveUp(outcome, result, 'upsert', versions, options);
      }
      if (deletes.length > 0) {
        const result = await calls.delete(deletes.map((device) => device.deviceId));
        outcome.deleted.push(...result.done);
        this.giveUp(outcome, result, 'delete', new Map(), options);
      }
    } catch (error) {
      clearInterval(renewal);
      // Hand the devices back at once (stopping, or the database failed), recording nothing.
      await hubSyncRepository.release(this.dataSource, owner, { synced: [], deleted: [], failed: [] }, options.source).catch(() => undefined);
      throw error;
    }
    clearInterval(renewal);
    await this.dataSource.transaction((tx) => hubSyncRepository.release(tx, owner, outcome, options.source));
    if (outcome.synced.length > 0) deviceSetMetrics.hubSynced.inc({ source: options.source, operation: 'upsert' }, outcome.synced.length);
    if (outcome.deleted.length > 0) deviceSetMetrics.hubSynced.inc({ source: options.source, operation: 'delete' }, outcome.deleted.length);
  }

  private giveUp(
    outcome: LeaseOutcome,
    result: CallsResult,
    operation: 'upsert' | 'delete',
    versions: ReadonlyMap<string, string>,
    options: SyncOptions,
  ): void {
    for (const failure of result.failed) {
      outcome.failed.push({
        deviceId: failure.deviceId,
        version: versions.get(failure.deviceId) ?? null,
        operation,
        cause: failure.cause,
        reason: failure.reason,
      });
      deviceSetMetrics.hubDeadLetters.inc({ source: options.source, cause: failure.cause });
    }
    const refused = result.failed.filter((failure) => failure.cause === 'refused');
    for (const failure of refused) {
      this.logger.warn(`the hub refused to ${operation} device ${failure.deviceId}; it is not retried until it changes: ${failure.reason}`);
    }
    const exhausted = result.failed.filter((failure) => failure.cause === 'retries-exhausted');
    if (exhausted.length > 0) {
      const shown = exhausted.slice(0, 5).map((failure) => failure.deviceId).join(', ');
      this.logger.warn(
        `gave up on the hub ${operation} of ${exhausted.length} device(s) (${shown}${exhausted.length > 5 ? ', …' : ''}) ` +
          `after retrying for up to ${Math.round(this.config.retryWindowMs / 1000)} s: ${exhausted[0].reason}`,
      );
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.reject(new HubSyncStopped());
    return new Promise((resolve, reject) => {
      const wake = (stopped: boolean) => {
        clearTimeout(timer);
        this.sleepers.delete(onStop);
        if (stopped) reject(new HubSyncStopped());
        else resolve();
      };
      const onStop = () => wake(true);
      const timer = setTimeout(() => wake(false), ms);
      this.sleepers.add(onStop);
    });
  }
}

function isBehind(device: LeasedDevice): boolean {
  if (device.version === null) return false;
  const version = BigInt(device.version);
  return version > BigInt(device.syncedVersion) && version > BigInt(device.refusedVersion);
}

function toHubDevice(device: LeasedDevice): HubDevice {
  return { deviceId: device.deviceId, displayName: device.displayName, template: device.template, tags: device.tags ?? {} };
}
