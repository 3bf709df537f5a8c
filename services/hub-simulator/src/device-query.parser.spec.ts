import { parseDeviceQuery, QueryParseError, toSqlPredicate } from './device-query.parser';

describe('device query parser', () => {
  it('reads SELECT * FROM devices without conditions', () => {
    expect(parseDeviceQuery('SELECT * FROM devices')).toEqual({ conditions: [] });
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
    expect(() => parseDeviceQuery('SELECT deviceId FROM devices')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT * FROM devices.modules')).toThrow(QueryParseError);
    expect(() => parseDeviceQuery("SELECT * FROM devices WHERE properties.reported.x = 'y'")).toThrow(QueryParseError);
    expect(() => parseDeviceQuery('SELECT * FROM devices WHERE tags.a > 1')).toThrow(QueryParseError);
  });
});
