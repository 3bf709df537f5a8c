import { Inject, Injectable } from '@nestjs/common';
import type { JobOperation } from '@fleetjobs/contracts';
import { ConflictProblem, FieldError, UnprocessableProblem } from '@fleetjobs/http-kit';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { deviceSetRepository } from '../device-sets/device-set.repository';
import { membersAmong } from '../device-sets/membership.query';
import { templateRepository } from '../templates/template.repository';
import { checkOperations } from './operation.checker';
import { exceedsJobSize, readMaxDevicesPerJob } from './job-size.limit';
import { membersUpTo } from './set-size.query';

export interface JobDefinition {
  deviceSet: string;
  devices: string[] | null;
  operations: JobOperation[];
  /** The rollout's batch size, when the job has one and names no devices: the set must hold that many. */
  batchSize?: number | null;
  /** Count the set's current members up to this many (enough to tell whether a threshold is passed). */
  countMembersUpTo?: number | null;
}

/** The template the job runs against, and the set's member count when it was asked for. */
export interface JobDefinitionVerdict {
  template: string;
  memberCount?: number;
}

/**
 * Decides whether a job may be created on a set: the set exists (422), is not broken (409) and
 * fixes a template (422); each operation is a capability of that template with a value of its
 * schema; the explicit devices are current members; a set-wide job reaches no more than
 * MAX_DEVICES_PER_JOB devices. Every failing field is named.
 */
@Injectable()
export class CheckJobDefinitionHandler {
  private readonly maxDevicesPerJob = readMaxDevicesPerJob(process.env);

  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async check(definition: JobDefinition): Promise<JobDefinitionVerdict> {
    const set = await deviceSetRepository.find(this.dataSource, definition.deviceSet);
    if (!set) {
      throw new UnprocessableProblem([{ field: 'deviceSet', message: `device set "${definition.deviceSet}" does not exist` }]);
    }
    if (set.brokenReason !== null) {
      throw new ConflictProblem(`Device set "${set.id}" is broken: ${set.brokenReason}.`, [
        { field: 'deviceSet', message: `the device set is broken: ${set.brokenReason}` },
      ]);
    }
    const template = set.template === null ? null : await templateRepository.find(this.dataSource, set.template);
    if (!template) {
      throw new UnprocessableProblem([{ field: 'deviceSet', message: 'the device set does not fix a template' }]);
    }
    const errors: FieldError[] = checkOperations(definition.operations, template.capabilities);
    if (definition.devices) {
      const members = await membersAmong(this.dataSource, set.conditions, [...new Set(definition.devices)]);
      definition.devices.forEach((deviceId, index) => {
        if (!members.has(deviceId)) {
          errors.push({ field: `devices[${index}]`, message: `device "${deviceId}" is not a member of device set "${set.id}"` });
        }
      });
    }
    if (!definition.devices && definition.batchSize) {
      const members = await membersUpTo(this.dataSource, set.conditions, definition.batchSize);
      if (members < definition.batchSize) {
        errors.push({
          field: 'rollout.batches.size',
          message: `must not be greater than the job's ${members} devices (the current members of device set "${set.id}")`,
        });
      }
    }
    if (!definition.devices) {
      // Counted only one past the limit: a set under it costs no more than its own size.
      const members = await membersUpTo(this.dataSource, set.conditions, this.maxDevicesPerJob + 1);
      if (exceedsJobSize(members, this.maxDevicesPerJob)) {
        errors.push({
          field: 'deviceSet',
          message: `has more than ${this.maxDevicesPerJob} devices, the most one job may reach (MAX_DEVICES_PER_JOB): choose devices or a narrower set`,
        });
      }
    }
    if (errors.length > 0) throw new UnprocessableProblem(errors);
    if (!definition.countMembersUpTo) return { template: template.id };
    return { template: template.id, memberCount: await membersUpTo(this.dataSource, set.conditions, definition.countMembersUpTo) };
  }
}
