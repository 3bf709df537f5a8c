import { DataSource } from 'typeorm';
import { Device, deviceRepository } from '../devices/device.repository';
import { openThrowawayDatabase } from '../testing/device-set-test-app';
import { Condition } from './condition';
import { validateConditions } from './condition.validator';
import { membersAmong, membersPage } from './membership.query';

/** What the compiled SQL means on a real PostgreSQL, device by device. */
describe('compiled conditions on PostgreSQL', () => {
  let database: { dataSource: DataSource; drop(): Promise<void> };

  const fleet: Device[] = [
    { id: 'a1', displayName: 'Lobby machine', template: 'vm', tags: { city: 'Seattle', floor: 2, labels: ['cold', 'new'], site: { zone: 'north' } } },
    { id: 'a2', displayName: 'Dock machine', template: 'vm', tags: { city: 'Tacoma', floor: 10, labels: ['warm'], note: 'cold storage' } },
    { id: 'a3', displayName: 'Kiosk 50%_off', template: 'kiosk', tags: { city: 'Seattle', floor: '2', slots: [7, 8] } },
    { id: 'a4', displayName: 'Bare', template: 'kiosk', tags: {} },
    { id: 'a5', displayName: 'Nulls', template: 'vm', tags: { city: null, floor: 2.0, labels: 'cold' } },
  ];

  const ids = async (conditions: Condition[]) => {
    expect(validateConditions(conditions)).toEqual([]);
    return (await membersPage(database.dataSource, conditions, { after: '', limit: 100 })).map((device) => device.id);
  };

  beforeAll(async () => {
    database = await openThrowawayDatabase();
    await deviceRepository.upsertMany(database.dataSource, fleet);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('eq and neq on columns', async () => {
    expect(await ids([{ field: 'template', operator: 'eq', value: 'vm' }])).toEqual(['a1', 'a2', 'a5']);
    expect(await ids([{ field: 'template', operator: 'neq', value: 'vm' }])).toEqual(['a3', 'a4']);
    expect(await ids([{ field: 'id', operator: 'eq', value: 'a4' }])).toEqual(['a4']);
  });

  it('in and contains on columns, with LIKE wildcards taken literally', async () => {
    expect(await ids([{ field: 'id', operator: 'in', value: ['a2', 'a4', 'zz'] }])).toEqual(['a2', 'a4']);
    expect(await ids([{ field: 'displayName', operator: 'contains', value: 'machine' }])).toEqual(['a1', 'a2']);
    expect(await ids([{ field: 'displayName', operator: 'contains', value: '%_' }])).toEqual(['a3']);
    expect(await ids([{ field: 'displayName', operator: 'contains', value: '_' }])).toEqual(['a3']);
  });

  it('eq on tags compares JSON values exactly: types matter, numbers compare numerically', async () => {
    expect(await ids([{ field: 'tags.city', operator: 'eq', value: 'Seattle' }])).toEqual(['a1', 'a3']);
    expect(await ids([{ field: 'tags.floor', operator: 'eq', value: 2 }])).toEqual(['a1', 'a5']);
    expect(await ids([{ field: 'tags.floor', operator: 'eq', value: '2' }])).toEqual(['a3']);
    expect(await ids([{ field: 'tags.city', operator: 'eq', value: null }])).toEqual(['a5']);
    expect(await ids([{ field: 'tags.site.zone', operator: 'eq', value: 'north' }])).toEqual(['a1']);
    expect(await ids([{ field: 'tags.slots.1', operator: 'eq', value: 8 }])).toEqual(['a3']);
    // An array holding the value is not equal to it.
    expect(await ids([{ field: 'tags.labels', operator: 'eq', value: 'cold' }])).toEqual(['a5']);
  });

  it('neq on tags includes devices without the tag', async () => {
    expect(await ids([{ field: 'tags.city', operator: 'neq', value: 'Seattle' }])).toEqual(['a2', 'a4', 'a5']);
  });

  it('in on tags matches any listed scalar', async () => {
    expect(await ids([{ field: 'tags.city', operator: 'in', value: ['Tacoma', null] }])).toEqual(['a2', 'a5']);
    expect(await ids([{ field: 'tags.floor', operator: 'in', value: [10, '2'] }])).toEqual(['a2', 'a3']);
  });

  it('contains on tags: substring of strings, element of arrays, never other types', async () => {
    expect(await ids([{ field: 'tags.labels', operator: 'contains', value: 'cold' }])).toEqual(['a1', 'a5']);
    expect(await ids([{ field: 'tags.note', operator: 'contains', value: 'cold' }])).toEqual(['a2']);
    expect(await ids([{ field: 'tags.labels', operator: 'contains', value: 'ol' }])).toEqual(['a5']);
    expect(await ids([{ field: 'tags.floor', operator: 'contains', value: '2' }])).toEqual(['a3']);
    expect(await ids([{ field: 'tags.site', operator: 'contains', value: 'north' }])).toEqual([]);
  });

  it('gt and lt compare numbers only and skip strings without failing', async () => {
    expect(await ids([{ field: 'tags.floor', operator: 'gt', value: 2 }])).toEqual(['a2']);
    expect(await ids([{ field: 'tags.floor', operator: 'lt', value: 10 }])).toEqual(['a1', 'a5']);
    expect(await ids([{ field: 'tags.city', operator: 'gt', value: 0 }])).toEqual([]);
    expect(await ids([{ field: 'tags.floor', operator: 'gt', value: 1.5 }, { field: 'tags.floor', operator: 'lt', value: 2.5 }])).toEqual(['a1', 'a5']);
  });

  it('ANDs conditions', async () => {
    expect(
      await ids([
        { field: 'template', operator: 'eq', value: 'vm' },
        { field: 'tags.city', operator: 'eq', value: 'Seattle' },
      ]),
    ).toEqual(['a1']);
  });

  it('pages by id after a cursor and restricts to given ids', async () => {
    const conditions: Condition[] = [{ field: 'tags.floor', operator: 'neq', value: 'x' }];
    const page = await membersPage(database.dataSource, conditions, { after: 'a2', limit: 2 });
    expect(page.map((device) => device.id)).toEqual(['a3', 'a4']);
    expect(page[0]).toEqual(fleet[2]);
    const only = await membersPage(database.dataSource, conditions, { after: '', limit: 10, only: ['a5', 'a1', 'zz'] });
    expect(only.map((device) => device.id)).toEqual(['a1', 'a5']);
    expect(await membersAmong(database.dataSource, [{ field: 'template', operator: 'eq', value: 'vm' }], ['a1', 'a3', 'zz'])).toEqual(
      new Set(['a1']),
    );
  });

  it('keeps hostile values inert', async () => {
    const hostile = "x'); DELETE FROM device_set.devices; --";
    expect(await ids([{ field: 'displayName', operator: 'eq', value: hostile }])).toEqual([]);
    expect(await ids([{ field: 'tags.city', operator: 'in', value: [hostile, 'Tacoma'] }])).toEqual(['a2']);
    expect((await database.dataSource.query('SELECT count(*)::int AS n FROM device_set.devices'))[0].n).toBe(fleet.length);
  });
});
