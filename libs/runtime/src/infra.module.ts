import { DynamicModule, Global, Module } from '@nestjs/common';
import { DEVICE_GATEWAY, DeviceGateway } from '@fleetjobs/device-gateway';
import { OperabilityModule } from '@fleetjobs/http-kit';
import { EVENT_LOG, EventLog } from '@fleetjobs/messaging';
import { DataSource } from 'typeorm';
import { DATA_SOURCE, SERVICE_ENDPOINTS, ServiceEndpoints } from './infra.tokens';

export interface InfraOptions {
  dataSource: DataSource;
  eventLog: EventLog;
  deviceGateway?: DeviceGateway;
  endpoints: ServiceEndpoints;
}

/**
 * What stands behind the ports: the composition root (a service's own process, or the embedded
 * all-in-one process) builds the adapters and hands them to every service module through DI.
 */
@Global()
@Module({})
export class InfraModule {
  static forRoot(options: InfraOptions): DynamicModule {
    const providers = [
      { provide: DATA_SOURCE, useValue: options.dataSource },
      { provide: EVENT_LOG, useValue: options.eventLog },
      { provide: SERVICE_ENDPOINTS, useValue: options.endpoints },
      ...(options.deviceGateway ? [{ provide: DEVICE_GATEWAY, useValue: options.deviceGateway }] : []),
    ];
    return {
      module: InfraModule,
      imports: [OperabilityModule],
      providers,
      exports: [...providers.map((provider) => provider.provide), OperabilityModule],
    };
  }
}
