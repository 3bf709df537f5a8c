import { EventEnvelope, toWireMessage, WireMessage } from './envelope';
import { ID_PATTERN } from './ids';
import {
  BROKER_MESSAGE_LIMIT_BYTES,
  jsonBytes,
  MAX_BATCH_DEVICES,
  MAX_CAPABILITIES,
  MAX_CAPABILITY_NAME,
  MAX_CONDITIONS_BYTES,
  MAX_DISPLAY_NAME,
  MAX_EVENT_DATA_BYTES,
  MAX_EXPLICIT_DEVICES,
  MAX_EXPLICIT_DEVICES_BYTES,
  MAX_JOB_DESCRIPTION,
  MAX_JOB_DISPLAY_NAME,
  MAX_JOB_REQUEST_BODY_BYTES,
  MAX_OPERATION_NAME,
  MAX_OPERATION_VALUE_BYTES,
  MAX_OPERATIONS,
  MAX_OPERATIONS_BYTES,
  MAX_TAGS_BYTES,
  MESSAGE_HEADER_ROOM_BYTES,
  utf8Bytes,
} from './limits';
import { TOPICS } from './topics';

// Worst cases: every id at 128 characters, every free text made of characters JSON escapes to six
// bytes (`\u0001`) or UTF-8 encodes in three, every list filled up to its byte bound.
const longId = (n: number) => `${n.toString(36)}-`.padEnd(128, 'x');
const escaped = (length: number) => '\u0001'.repeat(length);
const threeByte = (length: number) => '€'.repeat(length);

function wireBytes(message: WireMessage): number {
  const headers = Object.entries(message.headers).reduce((sum, [name, value]) => sum + utf8Bytes(name) + utf8Bytes(value), 0);
  return utf8Bytes(message.key) + headers;
}

function envelope<T extends string>(type: T, data: unknown): EventEnvelope<T, unknown> {
  return {
    id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    type,
    version: 99,
    source: '/fleetjobs/job-command',
    subject: longId(0),
    time: '2026-12-31T23:59:59.999Z',
    correlationId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    causationId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    data,
  };
}

/** The explicit device list of most ids that stays within the byte bound and the count. */
function fullestDeviceList(): string[] {
  const devices: string[] = [];
  let bytes = 2; // []
  while (devices.length < MAX_EXPLICIT_DEVICES) {
    const id = longId(devices.length);
    const more = (devices.length > 0 ? 1 : 0) + id.length + 2;
    if (bytes + more > MAX_EXPLICIT_DEVICES_BYTES) break;
    devices.push(id);
    bytes += more;
  }
  return devices;
}

/** MAX_OPERATIONS operations that together reach the byte bound, none over the value bound. */
function fullestOperations(): { type: 'command'; name: string; value: unknown }[] {
  const name = threeByte(MAX_OPERATION_NAME);
  const operations = Array.from({ length: MAX_OPERATIONS }, () => ({ type: 'command' as const, name, value: '' as unknown }));
  let room = MAX_OPERATIONS_BYTES - jsonBytes(operations);
  for (const operation of operations) {
    const characters = Math.max(0, Math.min(room, MAX_OPERATION_VALUE_BYTES - 2));
    operation.value = 'v'.repeat(characters);
    room -= characters;
  }
  return operations;
}

function expectFitsOneMessage(event: EventEnvelope): void {
  const message = toWireMessage(TOPICS.jobs, event);
  expect(utf8Bytes(message.value)).toBeLessThanOrEqual(MAX_EVENT_DATA_BYTES);
  expect(wireBytes(message)).toBeLessThanOrEqual(MESSAGE_HEADER_ROOM_BYTES / 4);
  expect(utf8Bytes(message.value) + wireBytes(message)).toBeLessThan(BROKER_MESSAGE_LIMIT_BYTES);
}

describe('API limits against the broker message limit', () => {
  it('the worst-case JobCreated serializes under the broker limit, with room for headers', () => {
    const devices = fullestDeviceList();
    const operations = fullestOperations();
    expect(devices.every((id) => ID_PATTERN.test(id))).toBe(true);
    expect(jsonBytes(devices)).toBeLessThanOrEqual(MAX_EXPLICIT_DEVICES_BYTES);
    expect(jsonBytes(devices)).toBeGreaterThan(MAX_EXPLICIT_DEVICES_BYTES - 132);
    expect(jsonBytes(operations)).toBeLessThanOrEqual(MAX_OPERATIONS_BYTES);
    expect(jsonBytes(operations)).toBeGreaterThan(MAX_OPERATIONS_BYTES - 100);
    operations.forEach((operation) => expect(jsonBytes(operation.value)).toBeLessThanOrEqual(MAX_OPERATION_VALUE_BYTES));

    const event = envelope('JobCreated', {
      jobId: longId(1),
      displayName: escaped(MAX_JOB_DISPLAY_NAME),
      description: escaped(MAX_JOB_DESCRIPTION),
      deviceSet: longId(2),
      devices,
      operations,
      template: longId(3),
      createdAt: '2026-12-31T23:59:59.999Z',
    });
    expectFitsOneMessage(event);
    // "Well under": a quarter of the message is left over.
    expect(jsonBytes(event.data)).toBeLessThan(0.75 * BROKER_MESSAGE_LIMIT_BYTES);
  });

  it('an unbounded explicit list would not fit: the byte bound, not the count, is what holds', () => {
    const byCountAlone = Array.from({ length: MAX_EXPLICIT_DEVICES }, (_, n) => longId(n));
    expect(jsonBytes(byCountAlone)).toBeGreaterThan(BROKER_MESSAGE_LIMIT_BYTES);
  });

  it('the largest valid job body fits the job request body limit', () => {
    const body = {
      displayName: escaped(MAX_JOB_DISPLAY_NAME),
      description: escaped(MAX_JOB_DESCRIPTION),
      deviceSet: longId(2),
      devices: fullestDeviceList(),
      operations: fullestOperations(),
    };
    expect(utf8Bytes(JSON.stringify(body, null, 2))).toBeLessThan(MAX_JOB_REQUEST_BODY_BYTES);
  });

  it('the worst-case DeviceRegistered fits one message (a batch emits one per device)', () => {
    const tags = { t: 'x'.repeat(MAX_TAGS_BYTES - jsonBytes({ t: '' })) };
    expect(jsonBytes(tags)).toBe(MAX_TAGS_BYTES);
    expectFitsOneMessage(
      envelope('DeviceRegistered', {
        deviceId: longId(1),
        displayName: escaped(MAX_DISPLAY_NAME),
        template: longId(2),
        tags,
        origin: 'hub-import',
      }),
    );
    expect(MAX_BATCH_DEVICES).toBe(10_000);
  });

  it('the worst-case DeviceTemplateSaved fits one message', () => {
    const capabilities = Array.from({ length: MAX_CAPABILITIES }, () => ({
      name: threeByte(MAX_CAPABILITY_NAME),
      kind: 'property',
      schema: 'boolean',
    }));
    const event = envelope('DeviceTemplateSaved', { templateId: longId(1), displayName: escaped(MAX_DISPLAY_NAME), capabilities });
    expectFitsOneMessage(event);
    expect(jsonBytes(event.data)).toBeLessThan(0.75 * BROKER_MESSAGE_LIMIT_BYTES);
  });

  it('the worst-case DeviceSetSaved fits one message', () => {
    const conditions = [{ field: 'tags.city', operator: 'in', value: ['x'.repeat(MAX_CONDITIONS_BYTES - 60)] }];
    expect(jsonBytes(conditions)).toBeLessThanOrEqual(MAX_CONDITIONS_BYTES);
    expectFitsOneMessage(envelope('DeviceSetSaved', { deviceSetId: longId(1), displayName: escaped(MAX_DISPLAY_NAME), conditions }));
  });
});

describe('jsonBytes', () => {
  it('counts UTF-8 bytes of the JSON text', () => {
    for (const value of [{ a: '€' }, ['😀', 'é', '\u0001'], 'plain', 12.5, null, { deep: [{ x: '\uD800' }] }]) {
      expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value), 'utf8'));
    }
    expect(jsonBytes(undefined)).toBe(0);
  });
});
