import { readFileSync } from 'node:fs';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { eventually, uniqueId } from '../support/fleetjobs.client';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub, topology } = systemUnderTest();

afterAll(() => hub.close());

interface LogLine {
  service?: string;
  requestId?: string;
  msg?: string;
  context?: string;
}

/** Each process's log as global setup published it: its name and the file its output goes to. */
function logFiles(): Record<string, string> {
  const files = process.env.FLEETJOBS_LOG_FILES;
  if (!files) throw new Error('the end-to-end global setup did not publish the log files');
  return JSON.parse(files);
}

/** A process's log lines; Node's own runtime warnings aside, every line must be a JSON object. */
function readLog(file: string): LogLine[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('(node:') && !line.startsWith('(Use `node --trace'))
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`${file} has a line that is not JSON: ${line}`);
      }
    });
}

const linesOf = (requestId: string) => (name: string) => readLog(logFiles()[name]).filter((line) => line.requestId === requestId);

describe('one request, followed through the logs', () => {
  it('carries its id, given by the caller, on the log lines of every process that handled it', async () => {
    const fleet = await createFleet(api, hub, { label: 'trace', count: 3 });
    const jobId = uniqueId('trace');
    const requestId = `trace-${jobId}`;
    const body = { displayName: 'Followed through the logs', deviceSet: fleet.deviceSet, operations: [{ type: 'property', name: 'location', value: 'Aisle 9' }] };
    const response = await fetch(`${api.baseUrl}/api/jobs/${jobId}`, {
      method: 'PUT',
      headers: { ...api.authHeaders(), 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    await api.conforms('PUT', `/api/jobs/${jobId}`, response, text);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    await waitForJobEnd(api, jobId);

    const of = linesOf(requestId);
    const names = Object.keys(logFiles());
    if (topology === 'distributed') {
      // The edge and the service that took the command answered it; device-set was asked to check
      // it; the projection and device-set consumed its JobCreated; a dispatcher its targets.
      await eventually(
        async () => Object.fromEntries(names.map((name) => [name, of(name)])),
        (byProcess) =>
          ['api-gateway', 'job-command', 'device-set', 'projection'].every((name) => byProcess[name].length > 0) &&
          names.filter((name) => name.startsWith('dispatcher')).some((name) => byProcess[name].length > 0),
        30_000,
        `log lines of request ${requestId} in every process that handled it`,
      );
      expect(of('api-gateway')).toContainEqual(expect.objectContaining({ service: 'api-gateway', msg: 'answered', method: 'PUT', status: 201 }));
      expect(of('job-command')).toContainEqual(expect.objectContaining({ service: 'job-command', msg: 'answered', method: 'PUT', status: 201 }));
      // job-command's internal call to device-set carried the id on.
      expect(of('device-set')).toContainEqual(expect.objectContaining({ service: 'device-set', msg: 'answered', method: 'POST', path: '/internal/job-definition-checks' }));
      expect(of('projection')).toContainEqual(expect.objectContaining({ msg: 'handling events of a request', events: expect.objectContaining({ JobCreated: 1 }) }));
      const dispatcherLines = names.filter((name) => name.startsWith('dispatcher')).flatMap(of);
      expect(dispatcherLines).toContainEqual(expect.objectContaining({ msg: 'handling events of a request' }));
    } else {
      // One process: its answer and the consumers that took the job's events all log under the id.
      const lines = await eventually(
        async () => names.flatMap(of),
        (found) => found.some((line) => line.msg === 'answered') && found.some((line) => line.msg === 'handling events of a request'),
        30_000,
        `log lines of request ${requestId}`,
      );
      expect(lines).toContainEqual(expect.objectContaining({ msg: 'answered', method: 'PUT', status: 201 }));
    }
    // Every other process's log is JSON lines too (no stray console output).
    for (const name of names) expect(readLog(logFiles()[name]).length).toBeGreaterThan(0);
  });

  it('gives a request without an id one of its own and answers it', async () => {
    const response = await fetch(`${api.baseUrl}/api/me`, { headers: api.authHeaders() });
    await response.text();
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
