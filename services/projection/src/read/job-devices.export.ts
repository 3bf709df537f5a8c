import { JobDeviceView } from './job.view';

/** The media types a job's devices can be exported in, besides the JSON pages. */
export const EXPORT_FORMATS = {
  csv: { mediaType: 'text/csv', contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  ndjson: { mediaType: 'application/x-ndjson', contentType: 'application/x-ndjson; charset=utf-8', extension: 'ndjson' },
} as const;

export type ExportFormat = keyof typeof EXPORT_FORMATS;

/** The CSV columns: every field of the JSON item, in its order. */
export const CSV_COLUMNS = ['deviceId', 'displayName', 'status', 'error', 'deleted', 'attempts'] as const satisfies readonly (keyof JobDeviceView)[];

/** A spreadsheet reads a cell starting with one of these as a formula (or a DDE call). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: formula-like text is prefixed with `'`; quoted when it holds `"`, `,`, CR or LF (RFC 4180). */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line, CRLF-terminated. */
export function csvHeader(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

/** One device as a CRLF-terminated CSV record. */
export function csvRow(device: JobDeviceView): string {
  return `${CSV_COLUMNS.map((column) => csvCell(device[column])).join(',')}\r\n`;
}

/** One device as one NDJSON line: the same object as an item of the JSON list. */
export function ndjsonLine(device: JobDeviceView): string {
  return `${JSON.stringify(device)}\n`;
}

/** The export as text chunks, one per page of devices; the CSV starts with its header line. */
export async function* encodeExport(format: ExportFormat, pages: AsyncIterable<JobDeviceView[]>): AsyncGenerator<string> {
  if (format === 'csv') yield csvHeader();
  const encode = format === 'csv' ? csvRow : ndjsonLine;
  for await (const page of pages) {
    if (page.length > 0) yield page.map(encode).join('');
  }
}
