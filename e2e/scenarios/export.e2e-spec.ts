import { uniqueId } from '../support/fleetjobs.client';
import { createFleet, waitForJobEnd } from '../support/fleet.fixture';
import { systemUnderTest } from '../support/system-under-test';

const { api, hub } = systemUnderTest();

afterAll(() => hub.close());

const COLUMNS = ['deviceId', 'displayName', 'status', 'error', 'deleted', 'attempts'];

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"' && (quoted || field === '')) {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 1;
    } else {
      field += c;
    }
  }
  expect(field).toBe('');
  expect(record).toEqual([]);
  return records;
}

/** The CSV record the export should give for an item of the JSON list. */
function expectedRecord(item: Record<string, unknown>): string[] {
  return COLUMNS.map((column) => {
    const value = item[column];
    if (value === null) return '';
    const text = String(value);
    return typeof value === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  });
}

async function download(path: string, accept?: string) {
  const response = await fetch(`${api.baseUrl}${path}`, { headers: { ...api.authHeaders(), ...(accept ? { accept } : {}) } });
  const text = await response.text();
  await api.conforms('GET', path, response, text);
  return { status: response.status, headers: response.headers, text };
}

describe('export of a job\'s devices', () => {
  let jobId: string;

  beforeAll(async () => {
    const fleet = await createFleet(api, hub, {
      label: 'export',
      count: 5,
      simulator: (index) => [{ online: false }, { failCommands: ['reboot'] }, undefined, undefined, undefined][index],
    });
    jobId = uniqueId('job-export');
    expect((await api.put(`/api/jobs/${jobId}`, { displayName: 'Reboot', deviceSet: fleet.deviceSet, operations: [{ type: 'command', name: 'reboot', value: {} }] })).status).toBe(201);
    expect(await waitForJobEnd(api, jobId)).toMatchObject({ status: 'failed', counts: { total: 5, completed: 3, failed: 2 } });
  });

  it('gives the same devices as CSV, through the Accept header and the .csv path, as the JSON list', async () => {
    const listed = await api.all(`/api/jobs/${jobId}/devices`);
    for (const answer of [await download(`/api/jobs/${jobId}/devices`, 'text/csv'), await download(`/api/jobs/${jobId}/devices.csv`)]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="${jobId}-devices.csv"`);
      const [header, ...records] = parseCsv(answer.text);
      expect(header).toEqual(COLUMNS);
      expect(records).toEqual(listed.map(expectedRecord));
    }
  });

  it('gives the same devices as NDJSON', async () => {
    const listed = await api.all(`/api/jobs/${jobId}/devices`);
    for (const answer of [await download(`/api/jobs/${jobId}/devices`, 'application/x-ndjson'), await download(`/api/jobs/${jobId}/devices.ndjson`)]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      expect(answer.text.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual(listed);
    }
  });

  it('honours the filters of the JSON list', async () => {
    const failed = await api.all(`/api/jobs/${jobId}/devices?status=failed`);
    expect(failed).toHaveLength(2);
    const csv = parseCsv((await download(`/api/jobs/${jobId}/devices.csv?status=failed`)).text).slice(1);
    expect(csv).toEqual(failed.map(expectedRecord));
    const one = failed[0].deviceId as string;
    const searched = await download(`/api/jobs/${jobId}/devices?status=failed&search=${encodeURIComponent(one.toUpperCase())}`, 'application/x-ndjson');
    expect(searched.text.trimEnd().split('\n').map((line) => JSON.parse(line))).toEqual([failed[0]]);
  });

  it('answers the problems of the JSON list: a bad filter, an unknown job, no credentials', async () => {
    const bad = await download(`/api/jobs/${jobId}/devices.csv?status=nope`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ errors: [{ field: 'status' }] });
    expect((await download(`/api/jobs/${uniqueId('missing')}/devices.csv`)).status).toBe(404);
    for (const [path, headers] of [[`/api/jobs/${jobId}/devices.csv`, {}], [`/api/jobs/${jobId}/devices`, { accept: 'text/csv' }]] as const) {
      const anonymous = await fetch(`${api.baseUrl}${path}`, { headers });
      expect(anonymous.status).toBe(401);
      await api.conforms('GET', path, anonymous, await anonymous.text());
    }
  });
});
