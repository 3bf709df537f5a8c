import { ServiceEndpoints } from '@fleetjobs/runtime';

/** Which service answers a public request: device catalogue, job commands and schedules, job reads and the audit, or access (tokens, who is signed in). */
export function upstreamFor(method: string, path: string, endpoints: ServiceEndpoints): string | null {
  if (/^\/api\/(device-templates|devices|device-sets)(\/|$|\?)/.test(path)) return endpoints.deviceSet;
  if (/^\/api\/jobs(\/|$|\?)/.test(path)) {
    return method === 'GET' || method === 'HEAD' ? endpoints.projection : endpoints.jobCommand;
  }
  if (/^\/api\/audit(\/|$|\?)/.test(path)) return endpoints.projection;
  // Recurring schedules are job-command's own state, read there too.
  if (/^\/api\/schedules(\/|$|\?)/.test(path)) return endpoints.jobCommand;
  // API tokens and who is signed in belong to job-command's access module.
  if (/^\/api\/(tokens|me|auth)(\/|$|\?)/.test(path)) return endpoints.jobCommand;
  return null;
}
