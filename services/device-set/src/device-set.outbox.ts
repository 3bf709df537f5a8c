import { Injectable } from '@nestjs/common';
import { ServiceOutbox } from '@fleetjobs/runtime';
import { DEVICE_SET_SCHEMA } from './device-set.schema';

/** Publishes the device-set outbox; `wake()` after a transaction that wrote events. */
@Injectable()
export class DeviceSetOutbox extends ServiceOutbox {
  protected readonly schema = DEVICE_SET_SCHEMA;
}
