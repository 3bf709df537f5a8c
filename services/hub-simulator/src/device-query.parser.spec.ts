import { parseDeviceQuery, projectTwin, QueryParseError, toSqlPredicate } from './device-query.parser';

describe('device query parser', () => {
  it('reads SELECT * FROM devices without conditions', () => {
    expect(parseDeviceQuery('SELECT * FROM devices')).toEqual({ select: '*', conditions: [] });
    expect(toSqlPredicate(parseDeviceQuery('select * from devices'), 1)).toEqual({ sql: 'TRUE', params: [] });
  });

  it('reads tag equality and deviceId IN lists joined by AND', () => {
    const query = parseDeviceQuery("SELECT * FROM devices WHERE tags.location.city = 'Seattle' AND deviceId IN ['a', 'b''s']");
    expect(query.conditions).toEqual([
      { field: { kind: 'tag', path: ['location', 'city'] }, operator: '=', value: 'Seattle' },
      { field: { kind: 'deviceId' }, operator: 'IN', values: ['a', "b's"] },
    ]);
    expect(toSqlPredicate(query, 1)).toEqual({
      sql: 'tags #> $1::text[] = $2::jsonb AND id = ANY($3::text[])',
      params: [['location', 'city'], '"Seattle"', ['a', "b's"]],
    });
  });

  it('reads numbers, booleans and inequality', () => {
    const query = parseDeviceQuery('SELECT * FROM devices WHERE tags.floor = 3 AND tags.active != true');
    expect(toSqlPredicate(query, 5).params).toEqual([['floor'], '3', ['active'], 'true']);
  });

  it('refuses what it does not support', () => {
    expect(() => parseDeviceQuery('SELECT COUNT() FROM devices')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT status FROM devices')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT deviceId AS FROM devices')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT deviceId, FROM devices')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT * FROM devices.modules')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery("SELECT * FROM devices WHERE properties.reported.x = 'y'")).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT * FROM devices WHERE tags.a > 1')).toThrow(QueryParseError);
  });

  it('reads a projection of deviceId and twin paths, with or without an alias', () => {
    const query = parseDeviceQuery("SELECT deviceId, properties.reported.fanSpeed AS ack, tags.site FROM devices WHERE deviceId IN ['a']");
    expect(query.select).toEqual([
      { path: ['deviceId'], name: 'deviceId' },
      { path: ['properties', 'reported', 'fanSpeed'], name: 'ack' },
      { path: ['tags', 'site'], name: 'site' },
    ]);
    expect(query.conditions).toHaveLength(1);
  });

  it('answers a projection with the values found, leaving out those the twin does not have', () => {
    const twin = { deviceId: 'a', tags: { site: 'Oslo' }, properties: { desired: {}, reported: { fanSpeed: { value: 3, ac: 200, av: 2 } } } };
    const select = (text: string) => projectTwin(parseDeviceQuery(text), twin);
    expect(select('SELECT deviceId, properties.reported.fanSpeed AS ack FROM devices')).toEqual({
      deviceId: 'a',
      ack: { value: 3, ac: 200, av: 2 },
    });
    expect(select('SELECT deviceId, properties.reported.mode AS ack, tags.site.floor FROM devices')).toEqual({ deviceId: 'a' });
    expect(select('SELECT * FROM devices')).toBe(twin);
  });

  it("answers a twin's etag, which a write guarded by it needs, and its connection state", () => {
    const twin = { deviceId: 'a', etag: 'AAAAAAAAAAI=', connectionState: 'Connected', tags: { properties: { location: 'lobby' } } };
    expect(projectTwin(parseDeviceQuery("SELECT deviceId, connectionState FROM devices"), twin)).toEqual({ deviceId: 'a', connectionState: 'Connected' });
    expect(projectTwin(parseDeviceQuery("SELECT deviceId, etag, tags.properties.location AS prop FROM devices WHERE deviceId IN ['a']"), twin)).toEqual({
      deviceId: 'a',
      etag: 'AAAAAAAAAAI=',
      prop: 'lobby',
    });
  });
});
