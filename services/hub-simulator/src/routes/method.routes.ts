import { errors } from '../http/iot-hub-errors';
import { methodCallLimitError } from '../hub-limits.admission';
import { BODY_LIMITS, header, json, Route, route } from '../http/hub-exchange';
import { behaviourFromTags, reactToMethod } from '../simulated-device.behaviour';
import { SimulatorTimers } from '../simulator-timers';
import { TwinStore } from '../store/twin.store';
import { isJsonObject } from '../twin-document';

const DEFAULT_RESPONSE_TIMEOUT_S = 30;
const MAX_TIMEOUT_S = 300;

/** `POST /twins/{id}/methods`: a direct method, answered by the simulated device. */
export function methodRoutes(twins: TwinStore, timers: SimulatorTimers): Route[] {
  return [
    route('POST', /^\/twins\/([^/]+)\/methods$/, async (request, [deviceId]) => {
      const body = request.body;
      if (!isJsonObject(body) || typeof body['methodName'] !== 'string' || body['methodName'] === '') {
        return errors.badRequest('methodName is required');
      }
      const methodName = body['methodName'];
      const declared = Number(header(request, 'content-length'));
      const refused = methodCallLimitError(methodName, body['payload'] ?? null, Number.isFinite(declared) ? declared : Infinity);
      if (refused) return refused;
      const tags = await twins.receiveMethodCall(deviceId, {
        deviceId,
        kind: 'method',
        name: methodName,
        payload: body['payload'] ?? null,
        requestId: request.requestId,
      }, request.arrivedAt);
      if (tags === null) return errors.methodDeviceNotFound(deviceId);
      const reaction = reactToMethod(behaviourFromTags(tags), methodName, {
        responseTimeoutMs: seconds(body['responseTimeoutInSeconds'], DEFAULT_RESPONSE_TIMEOUT_S) * 1000,
        connectTimeoutMs: seconds(body['connectTimeoutInSeconds'], 0) * 1000,
      });
      if (!(await timers.wait(reaction.afterMs))) return errors.internal('the hub simulator is stopping');
      switch (reaction.kind) {
        case 'device-not-online':
          return errors.deviceNotOnline(reaction.afterMs);
        case 'timed-out':
          return errors.gatewayTimeout(reaction.afterMs);
        case 'device-answered':
          return json(200, { status: reaction.status, payload: reaction.payload });
      }
    }, { maxBodyBytes: BODY_LIMITS.method }),
  ];
}

function seconds(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.min(MAX_TIMEOUT_S, value) : fallback;
}
