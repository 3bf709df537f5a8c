import { Injectable } from '@nestjs/common';
import { ServiceOutbox } from '@fleetjobs/runtime';
import { DISPATCHER_SCHEMA } from './dispatcher.schema';

@Injectable()
export class DispatcherOutbox extends ServiceOutbox {
  protected readonly schema = DISPATCHER_SCHEMA;
}
