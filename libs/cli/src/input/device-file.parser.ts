import type { ApiSchema } from '@fleetjobs/contracts';
import { UsageError } from '../cli.errors';

/** One device of `POST /api/devices/batch`. */
export type BatchDevice = ApiSchema<'BatchDevice'>;

const CSV_COLUMNS = ['id', 'displayName', 'template', 'tags'];

/**
 * The devices of an import file. JSON: an array of devices or `{"devices": [...]}` (the body of
 * `POST /api/devices/batch`). CSV: a header naming `id`, `displayName`, `template`, and optionally
 * `tags` (a JSON object) and `tags.<name>` columns (string tags; an empty cell sets none).
 * The objects are passed on as they are: the API validates them and names any bad field.
 */
export function parseDeviceFile(name: string, text: string): unknown[] {
  const json = /\.json$/i.test(name) || /^\s*[[{]/.test(text);
  return json ? parseJsonDevices(name, text) : parseCsvDevices(name, text);
}

function parseJsonDevices(name: string, text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(name, `is not JSON (${(error as Error).message})`);
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { devices?: unknown }).devices)) return (parsed as { devices: unknown[] }).devices;
  throw new UsageError(name, 'must hold an array of devices or {"devices": [...]}');
}

function parseCsvDevices(name: string, text: string): BatchDevice[] {
  const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, '')).filter((record) => !(record.length === 1 && record[0] === ''));
  if (!header) throw new UsageError(name, 'is empty; the first line names the columns: id,displayName,template[,tags][,tags.<name>...]');
  for (const column of header) {
    if (!CSV_COLUMNS.includes(column) && !/^tags\.[^.]+$/.test(column)) {
      throw new UsageError(name, `column "${column}" is not one of id, displayName, template, tags, tags.<name>`);
    }
  }
  for (const required of ['id', 'displayName', 'template']) {
    if (!header.includes(required)) throw new UsageError(name, `has no "${required}" column`);
  }
  return records.map((record, index) => {
    const line = index + 2;
    if (record.length !== header.length) throw new UsageError(name, `line ${line} has ${record.length} fields, the header ${header.length}`);
    const cell = (column: string) => record[header.indexOf(column)];
    const device: BatchDevice = { id: cell('id'), displayName: cell('displayName'), template: cell('template') };
    let tags: Record<string, unknown> | undefined;
    if (header.includes('tags') && cell('tags') !== '') {
      try {
        tags = JSON.parse(cell('tags'));
      } catch {
        throw new UsageError(name, `line ${line}, column tags: is not a JSON object`);
      }
    }
    header.forEach((column, i) => {
      if (column.startsWith('tags.') && record[i] !== '') tags = { ...(tags ?? {}), [column.slice('tags.'.length)]: record[i] };
    });
    return tags === undefined ? device : { ...device, tags };
  });
}

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw new UsageError('CSV', 'a quoted field is not closed');
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records;
}
