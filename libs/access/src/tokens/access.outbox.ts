import { Injectable } from '@nestjs/common';
import { ServiceOutbox } from '@fleetjobs/runtime';
import { ACCESS_SCHEMA } from './access.schema';

/** Publishes the access events (TokenCreated, TokenRevoked) from the `access` outbox. */
@Injectable()
export class AccessOutbox extends ServiceOutbox {
  protected readonly schema = ACCESS_SCHEMA;
}
