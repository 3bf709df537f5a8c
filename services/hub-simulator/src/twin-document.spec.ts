import {
  acknowledgeSettings,
  applyTwinPatch,
  mergePatch,
  renderTwin,
  TwinState,
  twinEtag,
  unacknowledgedDesiredKeys,
  unquoteEtag,
} from './twin-document';

const fresh: TwinState = { tags: {}, desired: {}, desiredVersion: 1, reported: {}, reportedVersion: 1, twinVersion: 1 };

describe('twin document', () => {
  it('merges objects recursively, deletes keys set to null and replaces other values', () => {
    expect(mergePatch({ a: { x: 1, y: 2 }, b: 1, c: [1] }, { a: { y: null, z: 3 }, b: { n: 1 }, c: [2], $version: 9 })).toEqual({
      a: { x: 1, z: 3 },
      b: { n: 1 },
      c: [2],
    });
  });

  it('bumps the desired version for every patch that writes desired properties, even unchanged ones', () => {
    const once = applyTwinPatch(fresh, { desired: { fanSpeed: 3 } });
    expect(once.state.desiredVersion).toBe(2);
    expect(once.writtenDesiredKeys).toEqual(['fanSpeed']);
    const twice = applyTwinPatch(once.state, { desired: { fanSpeed: 3 } });
    expect(twice.state.desiredVersion).toBe(3);
    expect(twice.state.twinVersion).toBe(3);
  });

  it('does not count deleted desired keys as written, and leaves the desired version alone for tag patches', () => {
    const withKey = applyTwinPatch(fresh, { desired: { a: 1, b: 2 } }).state;
    const deleted = applyTwinPatch(withKey, { desired: { a: null } });
    expect(deleted.writtenDesiredKeys).toEqual([]);
    expect(deleted.state.desired).toEqual({ b: 2 });
    const tagged = applyTwinPatch(withKey, { tags: { city: 'Oslo' } });
    expect(tagged.state.desiredVersion).toBe(withKey.desiredVersion);
    expect(tagged.state.tags).toEqual({ city: 'Oslo' });
  });

  it('an empty patch changes nothing', () => {
    expect(applyTwinPatch(fresh, { tags: {} }).state).toBe(fresh);
  });

  it('acknowledges with value, ac, av (the desired version) and ad', () => {
    const patched = applyTwinPatch(fresh, { desired: { fanSpeed: 3 } }).state;
    expect(unacknowledgedDesiredKeys(patched)).toEqual(['fanSpeed']);
    const acked = acknowledgeSettings(patched, ['fanSpeed'], { ac: 200, ad: 'completed' });
    expect(acked.reported).toEqual({ fanSpeed: { value: 3, ac: 200, av: 2, ad: 'completed' } });
    expect(acked.reportedVersion).toBe(2);
    expect(unacknowledgedDesiredKeys(acked)).toEqual([]);
    expect(acknowledgeSettings(acked, ['gone'], { ac: 200, ad: 'completed' })).toBe(acked);
  });

  it('acknowledges the value and version the device sees now; a repeated acknowledgement changes nothing', () => {
    const first = applyTwinPatch(fresh, { desired: { mode: 'eco' } }).state;
    const again = applyTwinPatch(first, { desired: { mode: 'eco' } }).state;
    const acked = acknowledgeSettings(again, ['mode'], { ac: 200, ad: 'completed' });
    expect(acked.reported['mode']).toEqual({ value: 'eco', ac: 200, av: again.desiredVersion, ad: 'completed' });
    expect(acknowledgeSettings(acked, ['mode'], { ac: 400, ad: 'rejected by device' })).toBe(acked);
    const newer = applyTwinPatch(acked, { desired: { mode: 'boost' } }).state;
    expect(acknowledgeSettings(newer, ['mode'], { ac: 200, ad: 'completed' }).reported['mode']).toEqual({
      value: 'boost',
      ac: 200,
      av: newer.desiredVersion,
      ad: 'completed',
    });
  });

  it('renders the twin JSON with etag, versions and connection state', () => {
    const state = applyTwinPatch(fresh, { desired: { fanSpeed: 3 }, tags: { city: 'Oslo' } }).state;
    const twin = renderTwin({ deviceId: 'd1', deviceEtag: 'e', state, connectionState: 'Connected', updatedAt: new Date(0) });
    expect(twin).toMatchObject({
      deviceId: 'd1',
      etag: twinEtag(2),
      version: 2,
      status: 'enabled',
      connectionState: 'Connected',
      tags: { city: 'Oslo' },
      properties: { desired: { fanSpeed: 3, $version: 2 }, reported: { $version: 1 } },
    });
  });

  it('reads If-Match values with or without quotes', () => {
    expect(unquoteEtag('"*"')).toBe('*');
    expect(unquoteEtag('AAAAAAAAAAE=')).toBe('AAAAAAAAAAE=');
    expect(unquoteEtag('W/"abc"')).toBe('abc');
    expect(unquoteEtag(undefined)).toBeUndefined();
  });
});
