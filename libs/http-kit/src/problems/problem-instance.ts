/**
 * A problem's `instance`: the path of the request as sent, without its query or fragment
 * (`/api/jobs?status=done` → `/api/jobs`). The query may hold search text or a cursor; the
 * document names the resource, not the question asked of it.
 */
export function problemInstance(url: string | undefined): string {
  const path = (url ?? '').split(/[?#]/, 1)[0];
  return path === '' ? '/' : path;
}
