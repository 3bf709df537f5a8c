import { csvCell, csvHeader, csvRow, encodeExport, ndjsonLine } from './job-devices.export';
import { JobDeviceView } from './job.view';

const device = (over: Partial<JobDeviceView> = {}): JobDeviceView => ({
  deviceId: 'd-1',
  displayName: 'Pump 1',
  status: 'failed',
  error: null,
  deleted: false,
  attempts: 2,
  ...over,
});

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

async function* pagesOf(...pages: JobDeviceView[][]): AsyncGenerator<JobDeviceView[]> {
  yield* pages;
}

describe('CSV cells (RFC 4180)', () => {
  it('leaves plain text, numbers and booleans as they are and writes null as an empty cell', () => {
    expect([csvCell('abc'), csvCell(3), csvCell(true), csvCell(false), csvCell(null)]).toEqual(['abc', '3', 'true', 'false', '']);
  });

  it('quotes cells holding a comma, a quote, CR or LF, doubling the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('a\r\nb')).toBe('"a\r\nb"');
  });

  it.each(['=1+2', '+1', '-1', '@SUM(A1)', '\tcmd', '\rcmd'])('neutralises the formula-like cell %j', (text) => {
    const cell = csvCell(text);
    expect(cell.replace(/^"/, '').startsWith(`'`)).toBe(true);
    expect(cell).toContain(text);
  });

  it('quotes a neutralised formula that also needs quoting', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('does not touch negative numbers of numeric fields', () => {
    expect(csvCell(-1)).toBe('-1');
  });

  it('keeps unicode text as it is', () => {
    expect(csvCell('Ventil Größe 🌡️ 東京')).toBe('Ventil Größe 🌡️ 東京');
    expect(csvCell('ü,ß')).toBe('"ü,ß"');
  });
});

describe('CSV records', () => {
  it('has a header naming every field of the JSON item, in order', () => {
    expect(csvHeader()).toBe('deviceId,displayName,status,error,deleted,attempts\r\n');
    expect(csvHeader().trim().split(',')).toEqual(Object.keys(device()));
  });

  it('writes one CRLF-terminated record per device', () => {
    expect(csvRow(device())).toBe('d-1,Pump 1,failed,,false,2\r\n');
    expect(csvRow(device({ displayName: null, error: 'Timeout, "no answer"', deleted: true, attempts: null }))).toBe(
      'd-1,,failed,"Timeout, ""no answer""",true,\r\n',
    );
  });
});

describe('NDJSON lines', () => {
  it('writes the JSON item on one line', () => {
    const item = device({ error: 'multi\nline "quoted" 東京' });
    const line = ndjsonLine(item);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(item);
  });

  it('escapes an unpaired surrogate so the line stays valid UTF-8', () => {
    const line = ndjsonLine(device({ displayName: 'bad \ud800 half' }));
    expect(line).toContain('\\ud800');
    expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
  });
});

describe('encodeExport', () => {
  it('starts the CSV with the header, then every page', async () => {
    const text = await collect(encodeExport('csv', pagesOf([device({ deviceId: 'a' })], [], [device({ deviceId: 'b' })])));
    expect(text.split('\r\n')).toEqual([csvHeader().trim(), 'a,Pump 1,failed,,false,2', 'b,Pump 1,failed,,false,2', '']);
  });

  it('writes only the header for no devices, and nothing at all as NDJSON', async () => {
    expect(await collect(encodeExport('csv', pagesOf()))).toBe(csvHeader());
    expect(await collect(encodeExport('ndjson', pagesOf()))).toBe('');
  });

  it('writes one NDJSON line per device', async () => {
    const text = await collect(encodeExport('ndjson', pagesOf([device({ deviceId: 'a' }), device({ deviceId: 'b' })])));
    expect(text.trimEnd().split('\n').map((line) => JSON.parse(line).deviceId)).toEqual(['a', 'b']);
  });
});
