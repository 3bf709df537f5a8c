import type { AsyncAPIDocumentInterface } from '@asyncapi/parser';
import { join } from 'node:path';
import { makeEnvelope, TOPICS, toWireMessage, WireMessage } from '@fleetjobs/contracts';
import { loadAsyncApiDocument } from './asyncapi-document';
import { ConsumedMessage, eventViolations } from './event-conformance';

const DOCUMENT = join(__dirname, '..', '..', '..', '..', 'docs', 'asyncapi.yaml');

let document: AsyncAPIDocumentInterface;

beforeAll(async () => {
  document = await loadAsyncApiDocument(DOCUMENT);
}, 60_000);

const jobCreatedData = {
  jobId: 'raise-fan-speed',
  displayName: 'Raise fan speed',
  description: '',
  deviceSet: 'seattle-vms',
  devices: null,
  operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
  template: 'vending-machine',
  createdAt: '2026-06-01T09:30:00.000Z',
};

/** A job event as job-command writes it, through the services' own serializer. */
function jobEvent(type = 'JobCreated', data: unknown = jobCreatedData): WireMessage {
  return toWireMessage(
    TOPICS.jobs,
    makeEnvelope({
      type,
      version: 1,
      source: '/fleetjobs/job-command',
      subject: 'raise-fan-speed',
      data,
      now: '2026-06-01T09:30:00.000Z',
      correlationId: 'request-1',
      actor: { id: 'token:t1', name: 'deploy script', role: 'operator', address: '10.0.0.7' },
    }),
  );
}

const withHeaders = (message: WireMessage, change: (headers: Record<string, string>) => void): ConsumedMessage => {
  const headers = { ...message.headers };
  change(headers);
  return { ...message, headers };
};

describe('eventViolations', () => {
  it('finds nothing wrong with a job event as the services write it, actor extensions included', () => {
    expect(eventViolations(jobEvent(), document)).toEqual([]);
  });

  it('finds nothing wrong with an event of each other topic', () => {
    const device = toWireMessage(
      TOPICS.devices,
      makeEnvelope({ type: 'DeviceDeleted', version: 1, source: '/fleetjobs/device-set', subject: 'vm-001', data: { deviceId: 'vm-001', deletedAt: '2026-06-01T09:30:00.000Z' }, now: new Date() }),
    );
    const token = toWireMessage(TOPICS.access, makeEnvelope({ type: 'TokenRevoked', version: 1, source: '/fleetjobs/access', subject: 't1', data: { tokenId: 't1' }, now: new Date() }));
    expect(eventViolations(device, document)).toEqual([]);
    expect(eventViolations(token, document)).toEqual([]);
  });

  describe('the type', () => {
    it('is refused when the document declares no such message', () => {
      expect(eventViolations(jobEvent('JobExploded', { jobId: 'raise-fan-speed' }), document)).toEqual([
        expect.stringMatching(/^type JobExploded is not a message of the channel for fleetjobs\.jobs/),
      ]);
    });

    it('is refused on a channel that does not carry it', () => {
      const onJobs = { ...jobEvent('DeviceDeleted', { deviceId: 'vm-001', deletedAt: '2026-06-01T09:30:00.000Z' }) };
      expect(eventViolations(onJobs, document)).toEqual([expect.stringMatching(/^type DeviceDeleted is not a message of the channel/)]);
    });

    it('is refused on a topic the document does not describe', () => {
      expect(eventViolations({ ...jobEvent(), topic: 'fleetjobs.other' }, document)).toEqual([expect.stringMatching(/^topic fleetjobs\.other is not the address/)]);
    });
  });

  describe('the attributes and headers', () => {
    it('a missing required CloudEvents attribute fails the SDK', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => delete headers.ce_source), document);
      expect(violations).toEqual(["not a valid CloudEvent for the SDK's Kafka binding: invalid payload; / must have required property 'source'"]);
    });

    it('a missing attribute the document requires is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => delete headers.ce_eventversion), document);
      expect(violations).toEqual(['JobCreated: headers / must have required property \'ce_eventversion\'']);
    });

    it('an undocumented extension attribute is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => (headers.ce_tenant = 'acme')), document);
      expect(violations).toEqual(['JobCreated: attribute tenant (header ce_tenant) is not documented']);
    });

    it('an undocumented header outside the binding is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => (headers.traceparent = '00-abc')), document);
      expect(violations).toEqual(['JobCreated: header traceparent is not documented']);
    });

    it('an actor role the document does not list is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => (headers.ce_actorrole = 'root')), document);
      expect(violations).toEqual([expect.stringMatching(/^JobCreated: headers \/ce_actorrole must be equal to one of the allowed values/)]);
    });

    it('a source the document does not list is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => (headers.ce_source = '/elsewhere')), document);
      expect(violations).toEqual([expect.stringMatching(/^JobCreated: headers \/ce_source must be equal to one of the allowed values/)]);
    });

    it('an actor without its name and role is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => delete headers.ce_actorname), document);
      expect(violations).toEqual(['JobCreated: headers / must have properties ce_actorname, ce_actorrole when property ce_actor is present']);
    });

    it('data of another content type is not what the document describes', () => {
      const message = jobEvent();
      const violations = eventViolations(withHeaders(message, (headers) => (headers['content-type'] = 'text/plain')), document);
      // The SDK leaves the data a string then, which no payload schema of the document allows.
      expect(violations).toEqual([expect.stringMatching(/^JobCreated: headers \/content-type must be equal to constant/), 'JobCreated: data / must be object']);
    });

    it('a key other than the subject is named', () => {
      expect(eventViolations({ ...jobEvent(), key: 'another-job' }, document)).toEqual(['JobCreated: the key "another-job" is not the subject "raise-fan-speed"']);
    });

    it('an event version other than the documented one is named', () => {
      const violations = eventViolations(withHeaders(jobEvent(), (headers) => (headers.ce_eventversion = '2')), document);
      expect(violations).toEqual(['JobCreated: event version 2 is not the documented x-event-version 1']);
    });
  });

  describe('the data', () => {
    it('a value of the wrong type is named with its path', () => {
      const violations = eventViolations(jobEvent('JobCreated', { ...jobCreatedData, devices: 'all' }), document);
      expect(violations).toEqual(['JobCreated: data /devices must be array,null']);
    });

    it('a missing required field is named', () => {
      const { template: _template, ...withoutTemplate } = jobCreatedData;
      expect(eventViolations(jobEvent('JobCreated', withoutTemplate), document)).toEqual(["JobCreated: data / must have required property 'template'"]);
    });

    it('a bad nested value and a bad instant are both named', () => {
      const data = { ...jobCreatedData, operations: [{ type: 'firmware', name: 'fanSpeed', value: 5 }], createdAt: 'yesterday' };
      expect(eventViolations(jobEvent('JobCreated', data), document)).toEqual([
        expect.stringMatching(/^JobCreated: data \/operations\/0\/type must be equal to one of the allowed values/),
        'JobCreated: data /createdAt must match format "date-time"',
      ]);
    });

    it('a value that is not JSON fails the SDK', () => {
      expect(eventViolations({ ...jobEvent(), value: '{"jobId":' }, document)).toEqual([expect.stringMatching(/^not a valid CloudEvent/)]);
    });
  });
});
