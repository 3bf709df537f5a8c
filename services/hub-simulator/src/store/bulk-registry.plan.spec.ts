import { twinEtag } from '../twin-document';
import { planBulkOperation } from './bulk-registry.plan';
import { DeviceRow } from './device-row';

function row(id: string, tags: Record<string, unknown> = {}): DeviceRow {
  return {
    id,
    etag: `etag-${id}`,
    generation_id: 'g',
    tags,
    desired: {},
    desired_version: 1,
    reported: {},
    reported_version: 1,
    twin_version: '4',
    created_at: new Date(0),
    updated_at: new Date(0),
  };
}

describe('bulk registry plan', () => {
  const existing = new Map([['old', row('old', { city: 'Oslo', properties: { p: 1 } })]]);

  it('creates new devices with their tags and reports existing ones for create', () => {
    const plan = planBulkOperation(
      [
        { id: 'new', importMode: 'create', tags: { city: 'Lima' } },
        { id: 'old', importMode: 'create', tags: {} },
      ],
      existing,
    );
    expect(plan.writes).toEqual([expect.objectContaining({ id: 'new', tags: { city: 'Lima' }, twin_version: 1 })]);
    expect(plan.errors).toEqual([{ deviceId: 'old', errorCode: 'DeviceAlreadyExists', errorStatus: expect.any(String) }]);
    expect(plan.applied.map((item) => item.id)).toEqual(['new']);
  });

  it('overwrites tags for update modes and keeps them when none are given', () => {
    const plan = planBulkOperation(
      [
        { id: 'old', importMode: 'Update', tags: { city: 'Rome' } },
        { id: 'missing', importMode: 'updateTwin', tags: {} },
      ],
      existing,
    );
    expect(plan.writes).toEqual([expect.objectContaining({ id: 'old', tags: { city: 'Rome' }, twin_version: 5 })]);
    expect(plan.errors).toEqual([expect.objectContaining({ deviceId: 'missing', errorCode: 'DeviceNotFound' })]);
    const kept = planBulkOperation([{ id: 'old', importMode: 'createOrUpdate' }], existing);
    expect(kept.writes[0].tags).toEqual({ city: 'Oslo', properties: { p: 1 } });
  });

  it('checks etags in the IfMatchETag modes', () => {
    const plan = planBulkOperation(
      [
        { id: 'old', importMode: 'UpdateTwinIfMatchETag', twinETag: twinEtag(3), tags: {} },
        { id: 'old2', importMode: 'DeleteIfMatchETag', eTag: '"*"' },
      ],
      new Map([...existing, ['old2', row('old2')]]),
    );
    expect(plan.errors).toEqual([expect.objectContaining({ deviceId: 'old', errorCode: 'EtagDoesNotMatch' })]);
    expect(plan.deletes).toEqual(['old2']);
  });

  it('reports unknown devices on delete, duplicates and unknown modes', () => {
    const plan = planBulkOperation(
      [
        { id: 'ghost', importMode: 'Delete' },
        { id: 'old', importMode: 'Delete' },
        { id: 'old', importMode: 'Delete' },
        { id: 'x', importMode: 'explode' },
      ],
      existing,
    );
    expect(plan.deletes).toEqual(['old']);
    expect(plan.errors.map((error) => error.errorCode)).toEqual(['DeviceNotFound', 'DeviceDefinedMultipleTimes', 'ArgumentInvalid']);
  });
});
