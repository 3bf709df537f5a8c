import { parseCsv, parseDeviceFile } from './device-file.parser';

describe('device import file', () => {
  it('reads a CSV file, with tags from a JSON column and from tags.<name> columns', () => {
    const csv = 'id,displayName,template,tags,tags.city\r\nvm-1,"Machine, one",vending,"{""floor"":2}",Seattle\r\nvm-2,Machine 2,vending,,\r\n';
    expect(parseDeviceFile('devices.csv', csv)).toEqual([
      { id: 'vm-1', displayName: 'Machine, one', template: 'vending', tags: { floor: 2, city: 'Seattle' } },
      { id: 'vm-2', displayName: 'Machine 2', template: 'vending' },
    ]);
  });

  it('skips blank lines and a byte order mark', () => {
    expect(parseDeviceFile('d.csv', '\uFEFFid,displayName,template\nvm-1,One,t\n\n')).toEqual([{ id: 'vm-1', displayName: 'One', template: 't' }]);
  });

  it('names the file, the column and the line of what it cannot read', () => {
    expect(() => parseDeviceFile('d.csv', 'id,displayName,template,colour\n')).toThrow('d.csv: column "colour" is not one of id, displayName, template, tags, tags.<name>');
    expect(() => parseDeviceFile('d.csv', 'id,displayName\n')).toThrow('d.csv: has no "template" column');
    expect(() => parseDeviceFile('d.csv', 'id,displayName,template\nvm-1,One\n')).toThrow('d.csv: line 2 has 2 fields, the header 3');
    expect(() => parseDeviceFile('d.csv', 'id,displayName,template,tags\nvm-1,One,t,{nope\n')).toThrow('d.csv: line 2, column tags: is not a JSON object');
    expect(() => parseDeviceFile('d.csv', '')).toThrow(/^d\.csv: is empty/);
  });

  it('reads a JSON array or the body of POST /api/devices/batch, and passes the objects on for the API to check', () => {
    const devices = [{ id: 'vm-1', displayName: 'One', template: 't', extra: true }];
    expect(parseDeviceFile('d.json', JSON.stringify(devices))).toEqual(devices);
    expect(parseDeviceFile('devices.txt', JSON.stringify({ devices }))).toEqual(devices);
  });

  it('refuses JSON of another shape', () => {
    expect(() => parseDeviceFile('d.json', '{"id": "vm-1"}')).toThrow('d.json: must hold an array of devices or {"devices": [...]}');
    expect(() => parseDeviceFile('d.json', '[')).toThrow(/^d\.json: is not JSON/);
  });

  it('parses quoted CSV fields holding quotes and line breaks', () => {
    expect(parseCsv('a,"b ""c""\nd"\ne,f')).toEqual([['a', 'b "c"\nd'], ['e', 'f']]);
    expect(() => parseCsv('"open')).toThrow('CSV: a quoted field is not closed');
  });
});
