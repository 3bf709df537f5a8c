/**
 * Shapes of the Fleetjobs REST API as the dashboard reads and writes them, taken from the one
 * contract: docs/openapi.yaml, generated into libs/contracts/src/generated/openapi.d.ts
 * (`npm run generate:api-types`). Nothing here declares an API shape by hand.
 */
import type { components, operations } from '../../../../libs/contracts/src/generated/openapi';

type Schemas = components['schemas'];

/** The caller's role; each includes every role before it (auth/roles.ts). */
export type Role = Schemas['Role'];
/** The caller as `GET /api/me` answers. */
export type Me = Schemas['Me'];
/** What `GET /api/auth/config` says about signing in. */
export type AuthConfig = Schemas['AuthConfig'];
/** One offending field of a request, as the API names it (`operations[0].value`, `devices[3]`, `displayName`). */
export type FieldError = Schemas['FieldError'];

export type JobStatus = Schemas['JobStatus'];
export type JobDeviceStatus = Schemas['DeviceJobStatus'];
export type OperationType = Schemas['JobOperation']['type'];
export type ValueSchema = Schemas['Capability']['schema'];
export type ConditionOperator = Schemas['Condition']['operator'];

/** Every member of a union, once: a value the contract adds and a list lacks fails to compile. */
type AllOf<Union extends string> = readonly Union[] & { length: UnionLength<Union> };
type UnionLength<Union, Count extends unknown[] = []> = [Union] extends [never]
  ? Count['length']
  : UnionLength<Exclude<Union, LastOf<Union>>, [...Count, unknown]>;
type LastOf<Union> = ((Union extends unknown ? (x: () => Union) => void : never) extends (x: infer I) => void ? I : never) extends () => infer Last ? Last : never;
export const allOf = <Union extends string>() => <const List extends readonly Union[]>(list: List & AllOf<Union> & ([Union] extends [List[number]] ? unknown : never)): readonly Union[] => list;

export const JOB_STATUSES = allOf<JobStatus>()(['pending', 'running', 'paused', 'completed', 'failed', 'stopped']);
export const JOB_DEVICE_STATUSES = allOf<JobDeviceStatus>()(['pending', 'completed', 'failed']);
export const OPERATION_TYPES = allOf<OperationType>()(['property', 'setting', 'command']);
export const VALUE_SCHEMAS = allOf<ValueSchema>()(['string', 'number', 'boolean', 'object']);
export const CONDITION_OPERATORS = allOf<ConditionOperator>()(['eq', 'neq', 'in', 'contains', 'gt', 'lt']);

/** Every list answer: one page and the cursor of the next, `null` on the last page. */
export interface Page<T> {
  value: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

export type Operation = Schemas['JobOperation'];
export type JobCounts = Schemas['Job']['counts'];
export type Job = Schemas['Job'];
/** Who did something, as the API names them. */
export type ActorRef = Schemas['ActorRef'];
export type JobApproval = NonNullable<Schemas['JobApproval']>;
/** The body of `POST /api/jobs`; `devices` is omitted to target every device of the set. */
export type NewJob = Schemas['JobBody'];
export type JobDevice = Schemas['JobDevice'];

/** How a recurring schedule repeats: a cron expression in a zone, until a time or for a number of runs. */
export type Recurrence = Schemas['ScheduleRecurrence'];
export type ScheduleStatus = Schemas['ScheduleStatus'];
export const SCHEDULE_STATUSES = allOf<ScheduleStatus>()(['active', 'paused', 'ended']);
/** A recurring schedule: its runs are jobs (`scheduleId`, `scheduleRun`). */
export type Schedule = Schemas['Schedule'];

/** Why a device failed, as rollout abort rules and retries name it. */
export type FailureKind = Schemas['FailureKind'];
export const FAILURE_KINDS = allOf<FailureKind>()(['offline', 'timeout', 'rejected', 'hub', 'throttled']);
export type RolloutScope = NonNullable<Schemas['RolloutAbortRule']['scope']>;

/** How a job's devices are reached over time (docs/openapi.yaml, Rollout); every field optional. */
export type Rollout = Schemas['Rollout'];
export type RolloutRate = Schemas['RolloutRate'];
export type RolloutAbortRule = Schemas['RolloutAbortRule'];
export type RolloutRetries = Schemas['RolloutRetries'];
/** One batch of a running or finished rollout; `index` counts from 0. */
export type RolloutBatchProgress = Schemas['RolloutBatch'];
export type RolloutBatchState = RolloutBatchProgress['state'];
export type RolloutProgress = Schemas['RolloutProgress'];

export type Capability = Schemas['Capability'];
export type DeviceTemplate = Schemas['DeviceTemplate'];
export type DeviceTemplateBody = Schemas['DeviceTemplateBody'];
export type Device = Schemas['Device'];
export type DeviceBody = Schemas['DeviceBody'];
export type SetCondition = Schemas['Condition'];
export type DeviceSet = Schemas['DeviceSet'];
export type DeviceSetBody = Schemas['DeviceSetBody'];

/** The template a set's devices share: the value of its `template eq` condition. */
export function templateOfSet(set: Pick<DeviceSet, 'conditions'>): string | null {
  const condition = set.conditions.find((c) => c.field === 'template' && c.operator === 'eq');
  return typeof condition?.value === 'string' ? condition.value : null;
}

/** The commands the audit records, by the event that records each. */
export type AuditAction = Schemas['AuditAction'];
export const AUDIT_ACTIONS = allOf<AuditAction>()([
  'JobCreated',
  'JobStopped',
  'JobPaused',
  'JobResumed',
  'JobApproved',
  'ScheduleCreated',
  'SchedulePaused',
  'ScheduleResumed',
  'ScheduleDeleted',
  'DeviceTemplateSaved',
  'DeviceTemplateDeleted',
  'DeviceRegistered',
  'DeviceDeleted',
  'DeviceSetSaved',
  'DeviceSetDeleted',
  'TokenCreated',
  'TokenRevoked',
]);

/** Who sent a command: `user:<subject>`, `token:<id>` or `local:anonymous`, with a name to read. */
export type AuditActor = Schemas['Actor'];
/** One command as `GET /api/audit` lists it. */
export type AuditEntry = Schemas['AuditEntry'];

/** Filters of `GET /api/audit`; `from` inclusive, `to` exclusive, both ISO instants. */
export type AuditQuery = PageQuery &
  Omit<NonNullable<operations['listAuditEntries']['parameters']['query']>, 'limit' | 'cursor' | 'action'> & { action?: AuditAction | '' };

/** How long a job would take (`POST /api/jobs/preview`), assuming every device succeeds. */
export type JobEta = Schemas['JobEta'];
/** An active job that already targets some of the previewed job's devices. */
export type JobOverlap = Schemas['JobOverlap'];
/** What a job would do if it were run now; nothing is created. */
export type JobPreview = Schemas['JobPreview'];
