/** Every screen of the dashboard, addressed by the URL hash (`#/jobs`, `#/job/raise-fan-speed`, ...). */
export type Route =
  | { page: 'jobs' }
  | { page: 'new-job'; copyOf?: string; deviceSet?: string }
  | { page: 'job'; id: string }
  | { page: 'schedules' }
  | { page: 'schedule'; id: string }
  | { page: 'devices' }
  | { page: 'new-device' }
  | { page: 'device'; id: string }
  | { page: 'edit-device'; id: string }
  | { page: 'device-sets' }
  | { page: 'new-device-set' }
  | { page: 'device-set'; id: string }
  | { page: 'edit-device-set'; id: string }
  | { page: 'templates' }
  | { page: 'new-template' }
  | { page: 'template'; id: string }
  | { page: 'audit' }
  | { page: 'sign-in' }
  | { page: 'not-found'; path: string };

const e = encodeURIComponent;

export function hrefOf(route: Route): string {
  switch (route.page) {
    case 'jobs':
      return '#/jobs';
    case 'new-job': {
      const params = new URLSearchParams();
      if (route.copyOf) params.set('copy', route.copyOf);
      if (route.deviceSet) params.set('set', route.deviceSet);
      const query = params.toString();
      return query ? `#/jobs/new?${query}` : '#/jobs/new';
    }
    case 'job':
      return `#/job/${e(route.id)}`;
    case 'schedules':
      return '#/schedules';
    case 'schedule':
      return `#/schedule/${e(route.id)}`;
    case 'devices':
      return '#/devices';
    case 'new-device':
      return '#/devices/new';
    case 'device':
      return `#/device/${e(route.id)}`;
    case 'edit-device':
      return `#/device/${e(route.id)}/edit`;
    case 'device-sets':
      return '#/device-sets';
    case 'new-device-set':
      return '#/device-sets/new';
    case 'device-set':
      return `#/device-set/${e(route.id)}`;
    case 'edit-device-set':
      return `#/device-set/${e(route.id)}/edit`;
    case 'templates':
      return '#/templates';
    case 'new-template':
      return '#/templates/new';
    case 'template':
      return `#/template/${e(route.id)}`;
    case 'audit':
      return '#/audit';
    case 'sign-in':
      return '#/sign-in';
    case 'not-found':
      return `#${route.path}`;
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/jobs';
  const [path, search = ''] = raw.split('?', 2);
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const [head, id, action] = parts;
  const fixed: Record<string, Route> = {
    jobs: { page: 'jobs' },
    'jobs/new': { page: 'new-job', copyOf: query.get('copy') ?? undefined, deviceSet: query.get('set') ?? undefined },
    schedules: { page: 'schedules' },
    devices: { page: 'devices' },
    'devices/new': { page: 'new-device' },
    'device-sets': { page: 'device-sets' },
    'device-sets/new': { page: 'new-device-set' },
    templates: { page: 'templates' },
    'templates/new': { page: 'new-template' },
    audit: { page: 'audit' },
    'sign-in': { page: 'sign-in' },
  };
  const known = fixed[parts.join('/')];
  if (known) return known;
  if (id && parts.length <= 3) {
    if (head === 'job' && !action) return { page: 'job', id };
    if (head === 'schedule' && !action) return { page: 'schedule', id };
    if (head === 'device') return action === 'edit' ? { page: 'edit-device', id } : action ? notFound(path) : { page: 'device', id };
    if (head === 'device-set') {
      return action === 'edit' ? { page: 'edit-device-set', id } : action ? notFound(path) : { page: 'device-set', id };
    }
    if (head === 'template' && !action) return { page: 'template', id };
  }
  return notFound(path);
}

function notFound(path: string): Route {
  return { page: 'not-found', path };
}

/** The navigation entry a screen belongs to. */
export function sectionOf(route: Route): 'jobs' | 'schedules' | 'devices' | 'device-sets' | 'audit' | null {
  if (['jobs', 'new-job', 'job'].includes(route.page)) return 'jobs';
  if (['schedules', 'schedule'].includes(route.page)) return 'schedules';
  if (['devices', 'new-device', 'device', 'edit-device', 'templates', 'new-template', 'template'].includes(route.page)) return 'devices';
  if (['device-sets', 'new-device-set', 'device-set', 'edit-device-set'].includes(route.page)) return 'device-sets';
  if (route.page === 'audit') return 'audit';
  return null;
}
