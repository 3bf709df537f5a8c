import { UsageError } from '../cli.errors';
import { jobBody, parseOperation } from './job-body.parser';

describe('job body from the command line', () => {
  it('reads an operation value as JSON when it is JSON, else as a string', () => {
    expect(parseOperation('setting:fanSpeed=5')).toEqual({ type: 'setting', name: 'fanSpeed', value: 5 });
    expect(parseOperation('property:location=Dock 4')).toEqual({ type: 'property', name: 'location', value: 'Dock 4' });
    expect(parseOperation('property:location="5"')).toEqual({ type: 'property', name: 'location', value: '5' });
    expect(parseOperation('command:reboot={"delay":1}')).toEqual({ type: 'command', name: 'reboot', value: { delay: 1 } });
    expect(parseOperation('setting:mode=a=b')).toEqual({ type: 'setting', name: 'mode', value: 'a=b' });
  });

  it('gives a command without a value an empty object, and asks other kinds for one', () => {
    expect(parseOperation('command:reboot')).toEqual({ type: 'command', name: 'reboot', value: {} });
    expect(() => parseOperation('setting:fanSpeed')).toThrow(new UsageError('--operation', '"setting:fanSpeed" needs a value: setting:fanSpeed=<value>'));
  });

  it('refuses an operation of an unknown kind, naming the flag', () => {
    expect(() => parseOperation('method:reboot')).toThrow(UsageError);
    expect(() => parseOperation('fanSpeed=5')).toThrow(/^--operation: /);
  });

  it('builds the body from flags, devices repeated or comma-separated', () => {
    expect(jobBody(undefined, { name: 'Fan', set: 'seattle', device: ['vm-1,vm-2', 'vm-3'], operation: ['setting:fanSpeed=5'] })).toEqual({
      displayName: 'Fan',
      deviceSet: 'seattle',
      devices: ['vm-1', 'vm-2', 'vm-3'],
      operations: [{ type: 'setting', name: 'fanSpeed', value: 5 }],
    });
  });

  it('names the job after its set when no name is given', () => {
    expect(jobBody(undefined, { set: 's', operation: ['command:reboot'] }).displayName).toBe('Job on s');
  });

  it('asks for a set and an operation when there is no file', () => {
    expect(() => jobBody(undefined, { operation: ['command:reboot'] })).toThrow(/^--set: is required/);
    expect(() => jobBody(undefined, { set: 's' })).toThrow(/^--operation: is required/);
  });

  it('takes a file body as it is, with flags replacing its fields', () => {
    const file = { displayName: 'From file', deviceSet: 'a', operations: [{ type: 'command', name: 'reboot', value: {} }], rollout: { batchSize: 10 } };
    expect(jobBody(file, {})).toEqual(file);
    expect(jobBody(file, { set: 'b', device: [] })).toEqual({ ...file, deviceSet: 'b' });
  });

  it('refuses a file that is not one JSON object', () => {
    expect(() => jobBody([1], {})).toThrow(/^--file: must hold one JSON object/);
    expect(() => jobBody(null, {})).toThrow(UsageError);
  });
});
