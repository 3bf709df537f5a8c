import { ServiceEndpoints } from '@fleetjobs/runtime';

/** Which service answers a public request: device catalogue, job commands, or job reads. */
export function upstreamFor(method: string, path: string, endpoints: ServiceEndpoints): string | null {
  if (/^\/api\/(device-templates|devices|device-sets)(\/|$|\?)/.test(path)) return endpoints.deviceSet;
  if (/^\/api\/jobs(\/|$|\?)/.test(path)) {
    return method === 'GET' || method === 'HEAD' ? endpoints.projection : endpoints.jobCommand;
  }
  return null;
}
