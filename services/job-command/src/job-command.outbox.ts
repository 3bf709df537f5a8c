import { Injectable } from '@nestjs/common';
import { ServiceOutbox } from '@fleetjobs/runtime';
import { JOB_COMMAND_SCHEMA } from './job-command.schema';

@Injectable()
export class JobCommandOutbox extends ServiceOutbox {
  protected readonly schema = JOB_COMMAND_SCHEMA;
}
