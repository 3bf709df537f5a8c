import { DataReader } from '../data-reader';
import { EventEnvelope } from '../envelope';

export type CapabilityKind = 'property' | 'setting' | 'command';
export type ValueSchema = 'string' | 'number' | 'boolean' | 'object';

export interface Capability {
  name: string;
  kind: CapabilityKind;
  schema: ValueSchema;
}

export interface DeviceTemplateSavedData {
  templateId: string;
  displayName: string;
  capabilities: Capability[];
}

export interface DeviceTemplateDeletedData {
  templateId: string;
}

/** A device was created or changed; `origin: 'hub-import'` means the hub already has it as is. */
export interface DeviceRegisteredData {
  deviceId: string;
  displayName: string;
  template: string;
  tags: Record<string, unknown>;
  origin: 'api' | 'hub-import';
}

export interface DeviceDeletedData {
  deviceId: string;
  deletedAt: string;
}

export interface DeviceSetSavedData {
  deviceSetId: string;
  displayName: string;
  conditions: { field: string; operator: string; value: unknown }[];
}

export interface DeviceSetDeletedData {
  deviceSetId: string;
}

/** The set can no longer be evaluated; it lists no devices until mended. */
export interface DeviceSetBrokenData {
  deviceSetId: string;
  reason: string;
}

export type DeviceTemplateSaved = EventEnvelope<'DeviceTemplateSaved', DeviceTemplateSavedData>;
export type DeviceTemplateDeleted = EventEnvelope<'DeviceTemplateDeleted', DeviceTemplateDeletedData>;
export type DeviceRegistered = EventEnvelope<'DeviceRegistered', DeviceRegisteredData>;
export type DeviceDeleted = EventEnvelope<'DeviceDeleted', DeviceDeletedData>;
export type DeviceSetSaved = EventEnvelope<'DeviceSetSaved', DeviceSetSavedData>;
export type DeviceSetDeleted = EventEnvelope<'DeviceSetDeleted', DeviceSetDeletedData>;
export type DeviceSetBroken = EventEnvelope<'DeviceSetBroken', DeviceSetBrokenData>;

export type DeviceTopicEvent =
  | DeviceTemplateSaved
  | DeviceTemplateDeleted
  | DeviceRegistered
  | DeviceDeleted
  | DeviceSetSaved
  | DeviceSetDeleted
  | DeviceSetBroken;

export type DeviceTopicEventType = DeviceTopicEvent['type'];

const readCapability = (r: DataReader): Capability => ({
  name: r.string('name'),
  kind: r.string('kind') as CapabilityKind,
  schema: r.string('schema') as ValueSchema,
});

export const DEVICE_EVENT_READERS: {
  [K in DeviceTopicEventType]: (r: DataReader) => Extract<DeviceTopicEvent, { type: K }>['data'];
} = {
  DeviceTemplateSaved: (r) => ({
    templateId: r.string('templateId'),
    displayName: r.string('displayName'),
    capabilities: r.array('capabilities', readCapability),
  }),
  DeviceTemplateDeleted: (r) => ({ templateId: r.string('templateId') }),
  DeviceRegistered: (r) => ({
    deviceId: r.string('deviceId'),
    displayName: r.string('displayName'),
    template: r.string('template'),
    tags: r.object('tags'),
    origin: (r.optionalString('origin') ?? 'api') as 'api' | 'hub-import',
  }),
  DeviceDeleted: (r) => ({ deviceId: r.string('deviceId'), deletedAt: r.string('deletedAt') }),
  DeviceSetSaved: (r) => ({
    deviceSetId: r.string('deviceSetId'),
    displayName: r.string('displayName'),
    conditions: r.array('conditions', (c) => ({ field: c.string('field'), operator: c.string('operator'), value: c.any('value') })),
  }),
  DeviceSetDeleted: (r) => ({ deviceSetId: r.string('deviceSetId') }),
  DeviceSetBroken: (r) => ({ deviceSetId: r.string('deviceSetId'), reason: r.string('reason') }),
};
