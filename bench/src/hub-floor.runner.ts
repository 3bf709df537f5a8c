import { AzureIotHubDeviceGateway, OperationOutcome } from '@fleetjobs/device-gateway';
import { BenchOperation } from './bench-operation';

export interface HubFloorResult {
  /** What was called, for the report. */
  call: string;
  devices: number;
  concurrency: number;
  seconds: number;
  opsPerSecond: number;
  succeeded: number;
  failed: number;
  firstFailure: string | null;
}

/**
 * The hub path alone: the project's `AzureIotHubDeviceGateway` driving the same hub for the same
 * operation, `concurrency` devices at a time, with nothing else of Fleetjobs in the way. Each
 * device is called once with the gateway's default options (no re-drive), as a first attempt is.
 */
export async function runHubFloor(options: {
  connectionString: string;
  caCertPem: string;
  operation: BenchOperation;
  deviceIds: string[];
  concurrency: number;
}): Promise<HubFloorResult> {
  const gateway = new AzureIotHubDeviceGateway({
    connectionString: options.connectionString,
    caCertPem: options.caCertPem,
    maxSockets: Math.max(options.concurrency, 1),
  });
  const { operation } = options;
  const call = (deviceId: string): Promise<OperationOutcome> => {
    switch (operation.type) {
      case 'property':
        return gateway.applyProperty(deviceId, operation.name, operation.value);
      case 'setting':
        return gateway.applySetting(deviceId, operation.name, operation.value, { ackTimeoutMs: 30_000 });
      case 'command':
        return gateway.invokeCommand(deviceId, operation.name, operation.value, { responseTimeoutMs: 30_000 });
    }
  };
  let next = 0;
  let succeeded = 0;
  let failed = 0;
  let firstFailure: string | null = null;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < options.deviceIds.length) {
      const deviceId = options.deviceIds[next++];
      try {
        const outcome = await call(deviceId);
        if (outcome.ok) succeeded += 1;
        else {
          failed += 1;
          firstFailure ??= outcome.error;
        }
      } catch (error) {
        failed += 1;
        firstFailure ??= String(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  } finally {
    await gateway.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    call: floorCallName(operation.type),
    devices: options.deviceIds.length,
    concurrency: options.concurrency,
    seconds,
    opsPerSecond: succeeded / seconds,
    succeeded,
    failed,
    firstFailure,
  };
}

function floorCallName(type: BenchOperation['type']): string {
  const method = { property: 'applyProperty', setting: 'applySetting', command: 'invokeCommand' }[type];
  return `AzureIotHubDeviceGateway.${method}`;
}
