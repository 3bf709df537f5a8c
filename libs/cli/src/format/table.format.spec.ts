import { formatFields, formatTable } from './table.format';

describe('table', () => {
  const columns = [
    { header: 'ID', value: (row: { id: string; name: string }) => row.id },
    { header: 'NAME', value: (row: { id: string; name: string }) => row.name, max: 8 },
  ];

  it('pads each column to its widest cell and leaves no trailing spaces', () => {
    expect(formatTable(columns, [{ id: 'job-1', name: 'Reboot' }, { id: 'j2', name: '' }])).toBe('ID     NAME\njob-1  Reboot\nj2\n');
  });

  it('clips long cells and keeps each row on one line', () => {
    expect(formatTable(columns, [{ id: 'a', name: 'Raise the fan\nspeed' }])).toBe('ID  NAME\na   Raise t…\n');
  });

  it('prints only the heading for no rows', () => {
    expect(formatTable(columns, [])).toBe('ID  NAME\n');
  });

  it('aligns the values of key: value lines', () => {
    expect(formatFields([['id', 'j1'], ['status', 'running']])).toBe('id:     j1\nstatus: running\n');
  });
});
