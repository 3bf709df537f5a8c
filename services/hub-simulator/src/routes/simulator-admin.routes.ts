import { errors } from '../http/iot-hub-errors';
import { BODY_LIMITS, json, Route, route } from '../http/hub-exchange';
import { HubThrottle, isHubSku } from '../hub-throttle';
import { RateLimiter } from '../rate-limiter';
import { RequestTally } from '../request-tally';
import { OperationLogStore } from '../store/operation-log.store';
import { RegistryStore, SeedDevice } from '../store/registry.store';
import { isJsonObject } from '../twin-document';

export const SEED_LIMIT = 10_000;
const DEFAULT_OPERATIONS_LIMIT = 1000;
const MAX_OPERATIONS_LIMIT = 10_000;
const ADMIN = { admin: true };

/**
 * Administration for tests, demos and benchmarks (not part of IoT Hub): seed a fleet, read or clear
 * the operation log, read counts, change the rate limit.
 */
export function simulatorAdminRoutes(
  registry: RegistryStore,
  operations: OperationLogStore,
  limiter: RateLimiter,
  tally: RequestTally,
  throttle: HubThrottle,
): Route[] {
  return [
    route(
      'POST',
      /^\/_simulator\/devices$/,
      async (request) => {
        const devices = isJsonObject(request.body) ? request.body['devices'] : undefined;
        if (!Array.isArray(devices)) return errors.badRequest('expected {"devices": [{"deviceId", "tags"}]}');
        if (devices.length > SEED_LIMIT) return errors.badRequest(`at most ${SEED_LIMIT} devices per call`);
        const byId = new Map<string, SeedDevice>();
        for (const device of devices) {
          if (!isJsonObject(device) || typeof device['deviceId'] !== 'string' || device['deviceId'] === '') {
            return errors.badRequest('every device needs a deviceId');
          }
          const tags = device['tags'] ?? {};
          if (!isJsonObject(tags)) return errors.badRequest(`the tags of ${device['deviceId']} must be a JSON object`);
          byId.set(device['deviceId'], { deviceId: device['deviceId'], tags });
        }
        await registry.seed([...byId.values()]);
        return json(200, { seeded: byId.size });
      },
      { admin: true, maxBodyBytes: BODY_LIMITS.seed },
    ),

    route(
      'GET',
      /^\/_simulator\/operations$/,
      async (request) => {
        const query = request.query;
        const limit = Number(query.get('limit') ?? DEFAULT_OPERATIONS_LIMIT);
        const afterSeq = query.get('afterSeq');
        const list = await operations.list({
          deviceId: query.get('deviceId') ?? undefined,
          kind: query.get('kind') ?? undefined,
          name: query.get('name') ?? undefined,
          afterSeq: afterSeq === null ? undefined : Number(afterSeq),
          limit: Number.isFinite(limit) ? Math.min(MAX_OPERATIONS_LIMIT, Math.max(1, limit)) : DEFAULT_OPERATIONS_LIMIT,
        });
        return json(200, { operations: list });
      },
      ADMIN,
    ),

    route(
      'DELETE',
      /^\/_simulator\/operations$/,
      async () => {
        await operations.clear();
        return { status: 204 };
      },
      ADMIN,
    ),

    route(
      'GET',
      /^\/_simulator\/stats$/,
      async () =>
        json(200, {
          ...(await operations.stats()),
          maxRequestsPerSecond: limiter.limit,
          throttled: limiter.throttledCount,
          sku: throttle.settings,
          throttles: throttle.stats(),
        }),
      ADMIN,
    ),

    // Device-facing requests per second of arrival, served and throttled: `?since=<ISO time>`.
    route(
      'GET',
      /^\/_simulator\/requests-per-second$/,
      async (request) => {
        const since = request.query.get('since');
        const sinceMs = since === null ? 0 : Date.parse(since);
        if (Number.isNaN(sinceMs)) return errors.badRequest('expected ?since=<ISO 8601 time>');
        return json(200, { seconds: tally.since(sinceMs) });
      },
      ADMIN,
    ),

    // A mark on the hub's own arrival clock: logged operations that arrived after it came later
    // than the request that asked for it, whatever the delay between arriving and being logged.
    route('POST', /^\/_simulator\/arrival-marks$/, async (request) => json(200, { arrivedAt: request.arrivedAt.toISOString() }), ADMIN),

    route(
      'PUT',
      /^\/_simulator\/settings$/,
      async (request) => {
        // `{"sku": "S1", "units": 2}` (or `{"sku": null}`) sets the hub's per-kind throttles.
        if (isJsonObject(request.body) && 'sku' in request.body) {
          const { sku, units = 1 } = request.body;
          if (sku !== null && !(isHubSku(sku) && typeof units === 'number' && units >= 1)) {
            return errors.badRequest('expected {"sku": "S1" | "S2" | "S3" | null, "units": <at least 1>}');
          }
          throttle.configure(sku === null ? null : { sku, units: units as number });
          return json(200, { sku: throttle.settings });
        }
        const value = isJsonObject(request.body) ? request.body['maxRequestsPerSecond'] : undefined;
        if (value !== null && !(typeof value === 'number' && value > 0)) {
          return errors.badRequest('expected {"maxRequestsPerSecond": <positive number> | null}');
        }
        limiter.setLimit(value);
        return json(200, { maxRequestsPerSecond: limiter.limit });
      },
      ADMIN,
    ),
  ];
}
