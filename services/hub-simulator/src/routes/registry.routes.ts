import { parseDeviceQuery, projectTwin, QueryParseError } from '../device-query.parser';
import { renderDeviceIdentity } from '../device-identity';
import { errors } from '../http/iot-hub-errors';
import { importedTagsLimitError } from '../hub-limits.admission';
import { BODY_LIMITS, header, HubRequest, HubResponse, json, Route, route } from '../http/hub-exchange';
import { isDeviceJobsQuery } from '../device-jobs-query.parser';
import { BULK_LIMIT, BulkItem } from '../store/bulk-registry.plan';
import { twinViewOf } from '../store/device-row';
import { RegistryStore } from '../store/registry.store';
import { isJsonObject, renderTwin, unquoteEtag } from '../twin-document';

const DEFAULT_LIST_TOP = 1000;
const DEFAULT_PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 10_000;

/** The identity registry: single devices, bulk operations, twin queries and statistics. */
export function registryRoutes(
  registry: RegistryStore,
  hubKey: string,
  deviceJobsQuery?: (request: HubRequest, text: string) => Promise<HubResponse>,
): Route[] {
  return [
    route('POST', /^\/devices\/query$/, async (request) => {
      const body = request.body;
      if (!isJsonObject(body) || typeof body['query'] !== 'string') return errors.badRequest('query is required');
      // Queries over the jobs' per-device results (`FROM devices.jobs`) are answered by the jobs.
      if (deviceJobsQuery && isDeviceJobsQuery(body['query'])) return deviceJobsQuery(request, body['query']);
      let query;
      try {
        query = parseDeviceQuery(body['query']);
      } catch (error) {
        if (error instanceof QueryParseError) return errors.badRequest(`invalid query: ${error.message}`);
        throw error;
      }
      const pageSize = clamp(Number(header(request, 'x-ms-max-item-count') ?? DEFAULT_PAGE_SIZE), 1, MAX_PAGE_SIZE);
      const token = header(request, 'x-ms-continuation');
      const page = await registry.query(query, pageSize, token ? Buffer.from(token, 'base64url').toString('utf8') : null);
      // IoT Hub answers whole twins as items of type twin, projections as raw JSON.
      const headers: Record<string, string> = { 'x-ms-item-type': query.select === '*' ? 'twin' : 'raw' };
      if (page.more) headers['x-ms-continuation'] = Buffer.from(page.rows[page.rows.length - 1].id, 'utf8').toString('base64url');
      return json(200, page.rows.map((row) => projectTwin(query, renderTwin(twinViewOf(row)))), headers);
    }),

    route('GET', /^\/devices\/?$/, async (request) => {
      const top = clamp(Number(request.query.get('top') ?? DEFAULT_LIST_TOP), 1, DEFAULT_LIST_TOP);
      const rows = await registry.list(top);
      return json(200, rows.map((row) => renderDeviceIdentity(row, hubKey)));
    }),

    route('POST', /^\/devices\/?$/, async (request) => {
      const items = request.body;
      if (!Array.isArray(items) || items.length === 0 || !items.every(isJsonObject)) {
        return errors.badRequest('the body must be a non-empty array of devices');
      }
      if (items.length > BULK_LIMIT) return errors.badRequest(`at most ${BULK_LIMIT} devices per bulk operation`);
      for (const item of items as BulkItem[]) {
        const refused = importedTagsLimitError(item.id, item.tags);
        if (refused) return refused;
      }
      const failures = await registry.bulk(items as BulkItem[], request.requestId, request.arrivedAt);
      return json(failures.length === 0 ? 200 : 400, { isSuccessful: failures.length === 0, errors: failures, warnings: [] });
    }, { maxBodyBytes: BODY_LIMITS.bulk }),

    route('GET', /^\/devices\/([^/]+)$/, async (_request, [deviceId]) => {
      const row = await registry.get(deviceId);
      return row ? json(200, renderDeviceIdentity(row, hubKey)) : errors.deviceNotFound(deviceId);
    }),

    route('PUT', /^\/devices\/([^/]+)$/, async (request, [deviceId]) => {
      const body = request.body;
      if (!isJsonObject(body)) return errors.badRequest('the device must be a JSON object');
      if (body['deviceId'] !== undefined && body['deviceId'] !== deviceId) {
        return errors.badRequest('the deviceId in the body does not match the path');
      }
      const result = await registry.put(deviceId, unquoteEtag(header(request, 'if-match')), body, request.requestId, request.arrivedAt);
      switch (result.outcome) {
        case 'written':
          return json(200, renderDeviceIdentity(result.device, hubKey));
        case 'already-exists':
          return errors.deviceAlreadyExists(deviceId);
        case 'not-found':
          return errors.deviceNotFound(deviceId);
        case 'etag-mismatch':
          return errors.preconditionFailed();
      }
    }),

    route('DELETE', /^\/devices\/([^/]+)$/, async (request, [deviceId]) => {
      const result = await registry.delete(deviceId, unquoteEtag(header(request, 'if-match')), request.requestId, request.arrivedAt);
      if (result.outcome === 'not-found') return errors.deviceNotFound(deviceId);
      if (result.outcome === 'etag-mismatch') return errors.preconditionFailed();
      return { status: 204 };
    }),

    route('GET', /^\/statistics\/devices$/, async () => {
      const total = await registry.count();
      return json(200, { totalDeviceCount: total, enabledDeviceCount: total, disabledDeviceCount: 0 });
    }),
  ];
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}
