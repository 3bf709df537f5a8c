import { ROUTE_ROLES } from '@fleetjobs/access';
import { OPENAPI_ROUTE } from '@fleetjobs/http-kit';
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
    ['POST', '/api/jobs/preview', 'jc'],
    ['POST', '/api/jobs/j1/stop', 'jc'],
    ['POST', '/api/jobs/j1/pause', 'jc'],
    ['POST', '/api/jobs/j1/resume', 'jc'],
    ['GET', '/api/jobs?status=running', 'pr'],
    ['GET', '/api/jobs/j1/devices', 'pr'],
    ['GET', '/api/audit?actor=token%3Aci', 'pr'],
    ['POST', '/api/tokens', 'jc'],
    ['DELETE', '/api/tokens/t1', 'jc'],
    ['GET', '/api/me', 'jc'],
    ['GET', '/api/auth/config', 'jc'],
  ])('%s %s goes to %s', (method, path, expected) => {
    expect(upstreamFor(method, path, endpoints)).toBe(expected);
  });

  it.each(ROUTE_ROLES.filter((route) => route.path !== OPENAPI_ROUTE))('routes $method $path, which has a role, to a service', ({ method, path }) => {
    expect(upstreamFor(method, path.replace(/\{\w+\}/g, 'x1'), endpoints)).not.toBeNull();
  });

  it('leaves internal and unknown paths unrouted', () => {
    expect(upstreamFor('POST', '/internal/jobs/j1/halt', endpoints)).toBeNull();
    expect(upstreamFor('GET', '/api/jobsx', endpoints)).toBeNull();
    expect(upstreamFor('GET', '/api/auditx', endpoints)).toBeNull();
    expect(upstreamFor('GET', '/api/tokensx', endpoints)).toBeNull();
  });
});
