import { IncomingHttpHeaders } from 'node:http';
import {
  HUB_METHOD_PAYLOAD_BYTES,
  HUB_TWIN_DESIRED_BYTES,
  HUB_TWIN_TAGS_BYTES,
  jsonBytes,
  methodNameProblem,
  twinSize,
  twinValueProblems,
} from '@fleetjobs/contracts';
import { HubResponse } from './http/hub-exchange';
import { errors, hubError } from './http/iot-hub-errors';
import { HubThrottle, methodMeters, throttleKindOf } from './hub-throttle';
import { RateLimiter } from './rate-limiter';
import { RequestTally } from './request-tally';
import { JsonObject, TwinPatch, TwinState } from './twin-document';

/** What IoT Hub answers a service request without `?api-version=`. */
export function missingApiVersion(): HubResponse {
  return hubError(400, 'InvalidProtocolVersion', 'BadRequest: the api-version query parameter is required');
}

/**
 * Whether a hub request may go ahead: `0` at once, a number of milliseconds it is held first
 * (traffic shaping), or the 429 to answer. The explicit one-limit override (tests, benches) is
 * checked before the SKU's per-kind throttles. Checked per request on the hot path: no allocation
 * beyond the answer.
 */
export function admitHubRequest(
  limiter: RateLimiter,
  throttle: HubThrottle,
  tally: RequestTally,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  nowMs: number,
): number | HubResponse {
  if (limiter.take(nowMs) > 0) {
    tally.count(nowMs, true);
    return errors.throttled();
  }
  if (!throttle.settings) {
    tally.count(nowMs, false);
    return 0;
  }
  const kind = throttleKindOf(method, path);
  const cost = kind === 'method' ? methodMeters(Number(headers['content-length']) || 0) : 1;
  const verdict = kind ? throttle.admit(kind, nowMs, cost) : 0;
  tally.count(nowMs, verdict === 'refused');
  return verdict === 'refused' ? errors.throttled() : verdict;
}

/** Why IoT Hub refuses a twin patch's keys or values (not its resulting size), or `null`. */
export function twinPatchLimitError(patch: TwinPatch): HubResponse | null {
  for (const [section, value] of [
    ['tags', patch.tags],
    ['properties.desired', patch.desired],
  ] as const) {
    if (!value) continue;
    const [problem] = twinValueProblems(value, 0);
    if (problem) return hubError(400, 'ArgumentInvalid', `${section}${problem.path}: ${problem.message}`);
  }
  return null;
}

/**
 * The answer when a patch grows the twin's tags beyond 8 KB or its desired properties beyond
 * 32 KB; `null` when it does not (a patch that shrinks an oversized section is let through, as
 * the hub refuses only what would increase it).
 */
export function twinSizeLimitError(before: TwinState, after: TwinState, patch: TwinPatch): HubResponse | null {
  if (patch.tags && after.tags !== before.tags) {
    const error = sectionError('tags', before.tags, after.tags, HUB_TWIN_TAGS_BYTES);
    if (error) return error;
  }
  if (patch.desired && after.desired !== before.desired) {
    return sectionError('properties.desired', before.desired, after.desired, HUB_TWIN_DESIRED_BYTES);
  }
  return null;
}

function sectionError(section: string, before: JsonObject, after: JsonObject, limit: number): HubResponse | null {
  const size = twinSize(after);
  if (size <= limit || size <= twinSize(before)) return null;
  return hubError(400, 'ArgumentInvalid', `${section} would be ${size} bytes, over the twin's limit of ${limit}`);
}

/**
 * Why IoT Hub refuses a direct method call's name or payload, or `null`. A request body of at most
 * 128 KB (`bodyBytes`, when known) cannot hold a larger payload, so it is not measured again.
 */
export function methodCallLimitError(methodName: string, payload: unknown, bodyBytes = Infinity): HubResponse | null {
  const nameProblem = methodNameProblem(methodName);
  if (nameProblem) return hubError(400, 'ArgumentInvalid', `methodName ${nameProblem}`);
  if (bodyBytes <= HUB_METHOD_PAYLOAD_BYTES) return null;
  const bytes = jsonBytes(payload);
  if (bytes > HUB_METHOD_PAYLOAD_BYTES) {
    return hubError(400, 'ArgumentInvalid', `the method payload is ${bytes} bytes, over the limit of ${HUB_METHOD_PAYLOAD_BYTES}`);
  }
  return null;
}

/** Why IoT Hub refuses the tags a bulk import gives a device (keys, values, depth, 8 KB), or `null`. */
export function importedTagsLimitError(deviceId: unknown, tags: unknown): HubResponse | null {
  if (typeof tags !== 'object' || tags === null) return null;
  const [problem] = twinValueProblems(tags, 0);
  if (problem) return hubError(400, 'ArgumentInvalid', `device ${String(deviceId)}: tags${problem.path}: ${problem.message}`);
  const size = twinSize(tags);
  if (size > HUB_TWIN_TAGS_BYTES) {
    return hubError(400, 'ArgumentInvalid', `device ${String(deviceId)}: tags would be ${size} bytes, over the twin's limit of ${HUB_TWIN_TAGS_BYTES}`);
  }
  return null;
}
