/* eslint-disable @typescript-eslint/no-require-imports */
import { createRecordEncoder, EncodedRecord, installKafkajsRecordEncoder, KAFKAJS_RELEASE, RecordEncoder, RecordInput } from './kafkajs-record.encoder';

const original = require('kafkajs/src/protocol/recordBatch/record/v0') as RecordEncoder;
const Encoder = require('kafkajs/src/protocol/encoder') as { new (): EncodedRecord & { buffer: Buffer; writeEncoder(e: unknown): unknown } };
const fast = createRecordEncoder(original, Encoder.prototype);
const bytesOf = (record: EncodedRecord) => (record as unknown as { buffer: Buffer }).buffer;

const cloudEvent = {
  ce_specversion: '1.0',
  ce_id: 'job-1:device-000042:outcome',
  ce_source: '/fleetjobs/dispatcher',
  ce_type: 'DeviceSucceeded',
  ce_subject: 'job-1',
  ce_time: '2026-12-06T03:04:05.678Z',
  ce_eventversion: '1',
  'content-type': 'application/json',
};

const cases: [string, RecordInput][] = [
  ['a CloudEvent as the event log sends it', { offsetDelta: 7, timestampDelta: 12, key: 'job-1', value: '{"jobId":"job-1","deviceId":"device-000042"}', headers: cloudEvent }],
  ['the first record of a batch', { offsetDelta: 0, timestampDelta: 0, key: 'k', value: 'v', headers: {} }],
  ['no headers, key or value given', {}],
  ['a null key and value', { offsetDelta: 3, timestampDelta: 5, key: null, value: null, headers: { a: 'b' } }],
  ['text beyond ASCII', { offsetDelta: 1, timestampDelta: 1, key: 'gerät-ü', value: '{"name":"Kühlschrank ☃ 🚚"}', headers: { 'ce_actorname': 'Zoë Ünal', ünïcode: 'ß' } }],
  ['Buffers', { offsetDelta: 2, timestampDelta: 3, key: Buffer.from('job-b'), value: Buffer.from([0, 1, 2, 255]), headers: { bin: Buffer.from([9, 8, 7]) } }],
  ['large deltas and an offset in the thousands', { offsetDelta: 4_999, timestampDelta: 1_733_456_789_012, key: 'k', value: 'v' }],
  ['a negative timestamp delta', { offsetDelta: 300, timestampDelta: -5_000, key: 'k', value: 'v' }],
  ['a value of 20 KB (multi-byte lengths)', { offsetDelta: 128, timestampDelta: 16_384, key: 'job-x', value: 'x'.repeat(20_000), headers: cloudEvent }],
  ['a header with several values (kafkajs encodes it)', { offsetDelta: 1, timestampDelta: 0, key: 'k', value: 'v', headers: { multi: ['a', 'b'] } }],
];

describe('the record encoder put in place of kafkajs’s', () => {
  it(`stands in for kafkajs ${KAFKAJS_RELEASE}, the release installed`, () => {
    expect((require('kafkajs/package.json') as { version: string }).version).toBe(KAFKAJS_RELEASE);
  });

  it.each(cases)('writes the bytes kafkajs writes: %s', (_name, input) => {
    const expected = bytesOf(original(input));
    const actual = fast(input);
    expect(bytesOf(actual).equals(expected)).toBe(true);
    expect(actual).toBeInstanceOf(Encoder);
    // A record batch copies each record through Encoder#writeEncoder.
    const batch = new Encoder();
    batch.writeEncoder(actual);
    expect(batch.buffer.equals(expected)).toBe(true);
  });

  it('fails as kafkajs does on what neither can encode', () => {
    expect(() => original({ key: 'k', value: 'v', headers: { bad: null } })).toThrow();
    expect(() => fast({ key: 'k', value: 'v', headers: { bad: null } })).toThrow();
  });

  it('is what kafkajs’s produce request loads once installed', () => {
    expect(installKafkajsRecordEncoder()).toBe(true);
    const loaded = require('kafkajs/src/protocol/recordBatch/record/v0') as RecordEncoder & { fast?: true };
    expect(loaded.fast).toBe(true);
    expect(bytesOf(loaded(cases[0][1])).equals(bytesOf(original(cases[0][1])))).toBe(true);
    expect(installKafkajsRecordEncoder()).toBe(true);
  });
});
