import { fromWireMessage, toWireMessage } from './envelope';
import { makeEnvelope } from './envelope-factory';
import { installRequestContextStore } from './request-id';

const fact = {
  type: 'DeviceSucceeded' as const,
  version: 1,
  source: '/fleetjobs/dispatcher',
  subject: 'job-1',
  data: { jobId: 'job-1', deviceId: 'd-1' },
  now: '2026-01-02T03:04:05.000Z',
};

describe('makeEnvelope', () => {
  it('keeps an id derived from the fact, so deciding it twice gives the same envelope', () => {
    const first = makeEnvelope({ ...fact, id: 'job-1:d-1:outcome' });
    const again = makeEnvelope({ ...fact, id: 'job-1:d-1:outcome' });
    expect(again).toEqual(first);
    expect(first.id).toBe('job-1:d-1:outcome');
  });

  it('makes a fresh random id for each envelope when none is derived', () => {
    const ids = new Set(Array.from({ length: 50 }, () => makeEnvelope(fact).id));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('takes the time from the caller, as a Date or an ISO string', () => {
    expect(makeEnvelope({ ...fact, now: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }).time).toBe('2026-01-02T03:04:05.000Z');
    expect(makeEnvelope({ ...fact, now: '2026-01-02T04:04:05+01:00' }).time).toBe('2026-01-02T03:04:05.000Z');
  });

  it('carries type, version, source, subject and data unchanged', () => {
    const envelope = makeEnvelope(fact);
    expect(envelope).toMatchObject({
      type: 'DeviceSucceeded',
      version: 1,
      source: '/fleetjobs/dispatcher',
      subject: 'job-1',
      data: { jobId: 'job-1', deviceId: 'd-1' },
    });
  });

  it('sets correlation and causation only when given', () => {
    expect(Object.keys(makeEnvelope(fact))).not.toEqual(expect.arrayContaining(['correlationId']));
    expect(Object.keys(makeEnvelope(fact))).not.toEqual(expect.arrayContaining(['causationId']));
    const caused = makeEnvelope({ ...fact, correlationId: 'req-1', causationId: 'evt-9' });
    expect(caused).toMatchObject({ correlationId: 'req-1', causationId: 'evt-9' });
  });

  it('survives the wire unchanged', () => {
    const envelope = makeEnvelope({ ...fact, id: 'e-1', correlationId: 'req-1' });
    expect(fromWireMessage(toWireMessage('devices.events', envelope))).toEqual({ ...envelope, causationId: undefined });
  });

  it('carries the actor over the wire as CloudEvents extension attributes', () => {
    const actor = { id: 'token:t-1', name: 'deploy script', role: 'operator' as const, address: '10.1.2.3' };
    const wire = toWireMessage('fleetjobs.jobs', makeEnvelope({ ...fact, id: 'e-2', actor }));
    expect(wire.headers).toMatchObject({ ce_actor: 'token:t-1', ce_actorname: 'deploy script', ce_actorrole: 'operator', ce_actoraddress: '10.1.2.3' });
    expect(fromWireMessage(wire)?.actor).toEqual(actor);
  });

  it('leaves the actor out of an event the system decided by itself', () => {
    const wire = toWireMessage('fleetjobs.jobs', makeEnvelope(fact));
    expect(Object.keys(wire.headers).filter((name) => name.startsWith('ce_actor'))).toEqual([]);
    expect(fromWireMessage(wire)).not.toHaveProperty('actor');
  });

  it('carries the request id over the wire as the ce_requestid extension attribute', () => {
    const wire = toWireMessage('fleetjobs.jobs', makeEnvelope({ ...fact, requestId: 'req-7' }));
    expect(wire.headers.ce_requestid).toBe('req-7');
    expect(fromWireMessage(wire)?.requestId).toBe('req-7');
    expect(toWireMessage('fleetjobs.jobs', makeEnvelope(fact)).headers).not.toHaveProperty('ce_requestid');
  });

  it('takes the request id of the request being handled when none is given', () => {
    installRequestContextStore({ current: () => 'ambient-1', run: (_id, work) => work() });
    try {
      expect(makeEnvelope(fact).requestId).toBe('ambient-1');
      expect(makeEnvelope({ ...fact, requestId: 'given-1' }).requestId).toBe('given-1');
    } finally {
      installRequestContextStore({ current: () => undefined, run: (_id, work) => work() });
    }
    expect(makeEnvelope(fact)).not.toHaveProperty('requestId');
  });

  it.each([
    ['an empty id', { id: '' }, /id/],
    ['an empty type', { type: '' }, /type/],
    ['an empty subject', { subject: '' }, /subject/],
    ['a version of 0', { version: 0 }, /version/],
    ['a fractional version', { version: 1.5 }, /version/],
    ['a time that is not one', { now: 'yesterday' }, /not a time/],
    ['an invalid Date', { now: new Date(Number.NaN) }, /not a time/],
  ])('refuses %s', (_name, override, message) => {
    expect(() => makeEnvelope({ ...fact, ...(override as object) } as typeof fact)).toThrow(message);
  });
});
