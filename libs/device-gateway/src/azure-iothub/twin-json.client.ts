import { Registry, versionQueryString } from 'azure-iothub';
import { JsonObject } from './json-merge-patch';

/** The twin fields the adapter reads (the SDK's Twin type omits connectionState). */
export interface TwinJson {
  etag?: string;
  tags?: JsonObject;
  connectionState?: string;
  properties?: { desired?: JsonObject; reported?: JsonObject };
}

type ApiCallback = (error: Error | null, body?: unknown) => void;

/** The SDK's REST client, reached through a private field (as `installHubAgent` does). */
interface RestApiClient {
  executeApiCall(method: string, path: string, headers: Record<string, string> | null, body: unknown, done: ApiCallback): void;
}

/**
 * Twin reads and patches as the SDK's `getTwin` and `updateTwin` send them — same request, same
 * authorization, same translated errors — answering the twin's JSON. The SDK's own methods also
 * build a `Twin` object (a deep merge of the whole twin) per call, which the operations never read:
 * on the path every device operation takes, that is CPU spent for nothing.
 */
export class TwinJsonClient {
  private readonly rest: RestApiClient;

  constructor(registry: Registry) {
    const rest = (registry as unknown as { _restApiClient?: RestApiClient })._restApiClient;
    if (!rest?.executeApiCall) throw new Error('this azure-iothub version exposes no REST client to call');
    this.rest = rest;
  }

  getTwin(deviceId: string): Promise<{ responseBody: TwinJson }> {
    return this.call('GET', deviceId, null, null);
  }

  updateTwin(deviceId: string, patch: object, etag: string): Promise<{ responseBody: TwinJson }> {
    return this.call('PATCH', deviceId, { 'Content-Type': 'application/json; charset=utf-8', 'If-Match': quoted(etag) }, patch);
  }

  private call(method: string, deviceId: string, headers: Record<string, string> | null, body: unknown): Promise<{ responseBody: TwinJson }> {
    if (!deviceId) return Promise.reject(new ReferenceError(`deviceId cannot be '${deviceId}'`));
    const path = `/twins/${encodeURIComponent(deviceId)}${versionQueryString()}`;
    return new Promise((resolve, reject) => {
      this.rest.executeApiCall(method, path, headers, body, (error, responseBody) => {
        if (error) reject(error);
        else resolve({ responseBody: (responseBody ?? {}) as TwinJson });
      });
    });
  }
}

/** As the SDK quotes an etag for If-Match (`*` included). */
function quoted(etag: string): string {
  if (etag.length === 0) return '""';
  return etag.startsWith('"') && etag.endsWith('"') && etag.length > 1 ? etag : `"${etag}"`;
}
