import { ValidationProblem } from '@fleetjobs/http-kit';
import { JobDefinition } from '../job.decider';
import { CreateJobRequestDto } from './create-job.request.dto';
import { hubOperationErrors } from './hub-operation.limit';
import { rolloutOf } from './rollout.request.dto';
import { scheduleErrors, scheduleOf } from './schedule.request.dto';

/**
 * The checks a job body gets at the edge beyond its fields' own rules: its operations must be
 * what IoT Hub accepts, and a rollout's batch may not be larger than the devices the job names. (A set-wide job's size only device-set can tell.)
 */
export function checkJobBody(body: CreateJobRequestDto, now: Date | null = new Date()): void {
  const hubErrors = hubOperationErrors(body.operations);
  if (hubErrors.length > 0) throw new ValidationProblem(hubErrors);
  const batchSize = body.rollout?.batches?.size;
  if (body.devices && batchSize !== undefined && batchSize > body.devices.length) {
    throw new ValidationProblem([{ field: 'rollout.batches.size', message: `must not be greater than the job's ${body.devices.length} devices` }]);
  }
  const scheduleProblems = body.schedule ? scheduleErrors(body.schedule, now) : [];
  if (scheduleProblems.length > 0) throw new ValidationProblem(scheduleProblems);
}

/** The definition a job body asks for, defaults applied. */
export function jobDefinitionOf(body: CreateJobRequestDto): JobDefinition {
  return {
    displayName: body.displayName,
    description: body.description ?? '',
    deviceSet: body.deviceSet,
    devices: body.devices ?? null,
    operations: body.operations.map(({ type, name, value }) => ({ type, name, value })),
    ...(body.rollout ? { rollout: rolloutOf(body.rollout) } : {}),
    ...(body.schedule ? { schedule: scheduleOf(body.schedule) } : {}),
  };
}
