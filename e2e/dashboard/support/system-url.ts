/** The running Fleetjobs system the browser tests drive: REST API and dashboard on one origin. */
export function systemUrl(): string {
  const url = process.env.FLEETJOBS_URL;
  if (!url) {
    throw new Error('Set FLEETJOBS_URL to the running system (REST API and dashboard), e.g. http://127.0.0.1:3000');
  }
  return url.replace(/\/+$/, '');
}
