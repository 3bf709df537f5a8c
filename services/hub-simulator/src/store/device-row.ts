import { randomBytes, randomInt } from 'node:crypto';
import { behaviourFromTags, connectionStateOf } from '../simulated-device.behaviour';
import { JsonObject, TwinState, TwinView } from '../twin-document';

/** A row of `hub_simulator.devices` as the pg driver returns it (bigint as string). */
export interface DeviceRow {
  id: string;
  etag: string;
  generation_id: string;
  tags: JsonObject;
  desired: JsonObject;
  desired_version: number;
  reported: JsonObject;
  reported_version: number;
  twin_version: string | number;
  created_at: Date;
  updated_at: Date;
}

export const DEVICES = 'hub_simulator.devices';
export const OPERATIONS = 'hub_simulator.operations';
export const PENDING_ACKS = 'hub_simulator.pending_acks';

export function twinStateOf(row: DeviceRow): TwinState {
  return {
    tags: row.tags ?? {},
    desired: row.desired ?? {},
    desiredVersion: Number(row.desired_version),
    reported: row.reported ?? {},
    reportedVersion: Number(row.reported_version),
    twinVersion: Number(row.twin_version),
  };
}

export function twinViewOf(row: DeviceRow, state: TwinState = twinStateOf(row)): TwinView {
  return {
    deviceId: row.id,
    deviceEtag: row.etag,
    state,
    connectionState: connectionStateOf(behaviourFromTags(state.tags)),
    updatedAt: new Date(row.updated_at),
  };
}

/** Registry etags change on every identity write; IoT Hub's look like base64 of a number. */
export function newDeviceEtag(): string {
  return Buffer.from(String(randomInt(1, 2 ** 47))).toString('base64');
}

export function newGenerationId(): string {
  return `63${randomBytes(8).readBigUInt64BE() % 10n ** 16n}`.padEnd(18, '0');
}

/** Parameters `(tags, desired, desired_version, reported, reported_version, twin_version)` of an UPDATE. */
export function twinColumns(state: TwinState): unknown[] {
  return [
    JSON.stringify(state.tags),
    JSON.stringify(state.desired),
    state.desiredVersion,
    JSON.stringify(state.reported),
    state.reportedVersion,
    state.twinVersion,
  ];
}
