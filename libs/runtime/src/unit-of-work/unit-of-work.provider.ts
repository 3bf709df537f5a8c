import { Provider, Type } from '@nestjs/common';
import { PgUnitOfWork, UNIT_OF_WORK } from '@fleetjobs/persistence-pg';
import { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../infra.tokens';
import { ServiceOutbox } from '../service-outbox';

/**
 * Binds `UNIT_OF_WORK` for one service: transactions on the process's DataSource, outbox and
 * inbox in the service's schema, and that schema's relay woken after each commit that published.
 * `providers: [DeviceSetOutbox, provideUnitOfWork(DEVICE_SET_SCHEMA, DeviceSetOutbox)]`.
 */
export function provideUnitOfWork(schema: string, outbox: Type<ServiceOutbox>): Provider {
  return {
    provide: UNIT_OF_WORK,
    useFactory: (dataSource: DataSource, relay: ServiceOutbox) =>
      new PgUnitOfWork({ dataSource, schema, afterPublish: () => relay.wake() }),
    inject: [DATA_SOURCE, outbox],
  };
}
