import { upstreamFor } from './api-routes';

const endpoints = { deviceSet: 'ds', jobCommand: 'jc', dispatcher: 'dp', projection: 'pr' };

describe('upstreamFor', () => {
  it.each([
    ['PUT', '/api/device-templates/vm', 'ds'],
    ['GET', '/api/devices?template=vm', 'ds'],
    ['POST', '/api/devices/batch', 'ds'],
    ['GET', '/api/device-sets/s/devices', 'ds'],
    ['PUT', '/api/jobs/j1', 'jc'],
    ['POST', '/api/jobs', 'jc'],
    ['POST', '/api/jobs/j1/stop', 'jc'],
    ['POST', '/api/jobs/j1/pause', 'jc'],
    ['POST', '/api/jobs/j1/resume', 'jc'],
    ['GET', '/api/jobs?status=running', 'pr'],
    ['GET', '/api/jobs/j1/devices', 'pr'],
  ])('%s %s goes to %s', (method, path, expected) => {
    expect(upstreamFor(method, path, endpoints)).toBe(expected);
  });

  it('leaves internal and unknown paths unrouted', () => {
    expect(upstreamFor('POST', '/internal/jobs/j1/halt', endpoints)).toBeNull();
    expect(upstreamFor('GET', '/api/jobsx', endpoints)).toBeNull();
  });
});
