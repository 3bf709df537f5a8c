import { classifyFailure } from './classify-failure';

describe('classifyFailure', () => {
  it.each([
    ['device is offline (not connected); the setting was not applied', 'offline'],
    ['device is offline (not connected); the command was not delivered', 'offline'],
    ['the device did not acknowledge the setting within 30 s', 'timeout'],
    ['command reboot timed out: the device did not answer within 30 s', 'timeout'],
    ['setting fanSpeed timed out: the hub did not answer the twin write within 2 s', 'timeout'],
    ['the device rejected the setting: out of range (code 400)', 'rejected'],
    ['command reboot failed on the device (status 500): {"error":"busy"}', 'rejected'],
    ['the hub could not be reached: ECONNRESET', 'hub'],
    ['device vm-1 is not registered in the hub', 'hub'],
    ['the hub kept throttling the request', 'throttled'],
    ['setting fanSpeed: the device rejected the setting: no (code 409)', 'rejected'],
  ])('given the error "%s", when classified, then it is %s', (error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
  });

  it('given a device reason that mentions another kind, when classified, then the adapter\'s own phrase wins', () => {
    expect(classifyFailure('the device rejected the setting: sensor timed out (code 500)')).toBe('rejected');
    expect(classifyFailure('command update failed on the device (status 504): "device is offline (not connected)"')).toBe('rejected');
  });

  it('given a text that matches nothing, when classified, then it is a hub error', () => {
    expect(classifyFailure('something unexpected')).toBe('hub');
  });

  it('given a structured outcome, when classified, then its kind or its error text decides', () => {
    expect(classifyFailure({ kind: 'timeout' })).toBe('timeout');
    expect(classifyFailure({ throttled: true })).toBe('throttled');
    expect(classifyFailure({ error: 'the hub could not be reached: 503' })).toBe('hub');
  });
});
