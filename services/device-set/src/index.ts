export { DeviceSetModule } from './device-set.module';
export { deviceSetMigrations, DeviceSetInitial1700000000001 } from './migrations/device-set-initial.migration';
export { DEVICE_SET_SCHEMA } from './device-set.schema';
export { DeviceSetOutbox } from './device-set.outbox';
