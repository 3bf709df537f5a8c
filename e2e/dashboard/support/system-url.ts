/** The running Fleetjobs system the browser tests drive: REST API and dashboard on one origin. */
export function systemUrl(): string {
  const url = process.env.FLEETJOBS_URL;
  if (!url) {
    throw new Error('Set FLEETJOBS_URL to the running system (REST API and dashboard), e.g. http://127.0.0.1:3000');
  }
  return url.replace(/\/+$/, '');
}

/** The administrator API token of the system under test, as the global setup published it. */
export function systemAdminToken(): string | undefined {
  return process.env.FLEETJOBS_ADMIN_TOKEN;
}
