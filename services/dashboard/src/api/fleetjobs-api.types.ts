/** Shapes of the Fleetjobs REST API (PRODUCT.md §2), as the dashboard reads and writes them. */

export type JobStatus = 'pending' | 'running' | 'paused' | 'completed' | 'failed' | 'stopped';
export type JobDeviceStatus = 'pending' | 'completed' | 'failed';
export type OperationType = 'property' | 'setting' | 'command';
export type ValueSchema = 'string' | 'number' | 'boolean' | 'object';
export type ConditionOperator = 'eq' | 'neq' | 'in' | 'contains' | 'gt' | 'lt';

export const JOB_STATUSES: readonly JobStatus[] = ['pending', 'running', 'paused', 'completed', 'failed', 'stopped'];
export const JOB_DEVICE_STATUSES: readonly JobDeviceStatus[] = ['pending', 'completed', 'failed'];
export const OPERATION_TYPES: readonly OperationType[] = ['property', 'setting', 'command'];
export const VALUE_SCHEMAS: readonly ValueSchema[] = ['string', 'number', 'boolean', 'object'];
export const CONDITION_OPERATORS: readonly ConditionOperator[] = ['eq', 'neq', 'in', 'contains', 'gt', 'lt'];

/** Every list answer: one page and the cursor of the next, `null` on the last page. */
export interface Page<T> {
  value: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  limit?: number;
  cursor?: string | null;
}

export interface Operation {
  type: OperationType;
  name: string;
  value: unknown;
}

export interface JobCounts {
  total: number;
  pending: number;
  completed: number;
  failed: number;
}

export interface Job {
  id: string;
  displayName: string;
  description: string | null;
  deviceSet: string;
  /** The explicit devices chosen, or `null` when the job targets every device of its set. */
  devices: string[] | null;
  operations: Operation[];
  status: JobStatus;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  counts: JobCounts;
  /** The rollout as it was asked (no defaults filled in); absent or `null` for a job without one. */
  rollout?: Rollout | null;
  /** Where the rollout stands; absent or `null` before it starts and for a job without a rollout. */
  rolloutProgress?: RolloutProgress | null;
  /** Whether the job waits for a second person's approval before it runs (two-person rule). */
  approval?: JobApproval | null;
  /** The job this one reruns; null or absent for a job created from a body. */
  rerunOf?: string | null;
  createdBy?: ActorRef | null;
  stoppedBy?: ActorRef | null;
}

/** Who did something, as the API names them. */
export interface ActorRef {
  id: string;
  name: string;
}

export interface JobApproval {
  required: boolean;
  reason?: string | null;
  approvedBy?: ActorRef | null;
  approvedAt?: string | null;
}

/** The body of `POST /api/jobs`; `devices` is omitted to target every device of the set. */
export interface NewJob {
  displayName: string;
  description?: string;
  deviceSet: string;
  devices?: string[];
  operations: Operation[];
  rollout?: Rollout;
}

export interface JobDevice {
  deviceId: string;
  displayName: string | null;
  status: JobDeviceStatus;
  error: string | null;
  deleted: boolean;
  /** Attempts made on the device, retries included; `null` while pending, absent from servers that do not count them. */
  attempts?: number | null;
}

/** Why a device failed, as rollout abort rules and retries name it. */
export type FailureKind = 'offline' | 'timeout' | 'rejected' | 'hub' | 'throttled';
export const FAILURE_KINDS: readonly FailureKind[] = ['offline', 'timeout', 'rejected', 'hub', 'throttled'];
export type RolloutScope = 'job' | 'batch';

/** How a job's devices are reached over time (docs/openapi.yaml, Rollout); every field optional. */
export interface Rollout {
  batches?: { size: number } | { percent: number };
  successGate?: { percent: number };
  pauseBetweenSeconds?: number;
  rate?: FixedRolloutRate | AdaptiveRolloutRate;
  abort?: RolloutAbortRule[];
  retries?: RolloutRetries;
  timeoutSeconds?: number;
}

export interface FixedRolloutRate {
  mode?: 'fixed';
  perMinute: number;
  ramp?: { startPerMinute?: number; factor?: number; afterSuccesses?: number };
}

export interface AdaptiveRolloutRate {
  mode: 'adaptive';
  minPerMinute: number;
  maxPerMinute: number;
  startPerMinute?: number;
  stepPerMinute?: number;
  decreaseFactor?: number;
  maxLatencyMs?: number;
  maxFailurePercent?: number;
}

export interface RolloutAbortRule {
  failed: { percent: number } | { count: number };
  minExecuted?: number;
  scope?: RolloutScope;
  kinds?: FailureKind[];
}

export interface RolloutRetries {
  maxAttempts: number;
  on?: FailureKind[];
  backoff?: { initialMs?: number; factor?: number; maxMs?: number; jitter?: boolean };
}

export type RolloutBatchState = 'running' | 'passed' | 'gateFailed';

/** One batch of a running or finished rollout; `index` counts from 0. */
export interface RolloutBatchProgress {
  index: number;
  size: number;
  completed: number;
  failed: number;
  state: RolloutBatchState;
}

export interface RolloutProgress {
  /** The batch under way, counted from 0. */
  currentBatch: number;
  batchCount: number;
  batches: RolloutBatchProgress[];
  /** The job's current rate in device operations per minute; `null` when it has none. */
  ratePerMinute: number | null;
  /** Why the rate last changed, e.g. "ramp: 50 successes" or "429 from the hub". */
  rateReason: string | null;
  /** While pausing between batches: when the next batch starts. */
  pausedUntil: string | null;
}

export interface Capability {
  name: string;
  kind: OperationType;
  schema: ValueSchema;
}

export interface DeviceTemplate {
  id: string;
  displayName: string;
  capabilities: Capability[];
}

export type DeviceTemplateBody = Omit<DeviceTemplate, 'id'>;

export interface Device {
  id: string;
  displayName: string;
  template: string;
  tags: Record<string, unknown>;
}

export type DeviceBody = Omit<Device, 'id'>;

export interface SetCondition {
  field: string;
  operator: ConditionOperator;
  value: unknown;
}

export interface DeviceSet {
  id: string;
  displayName: string;
  conditions: SetCondition[];
  broken: boolean;
  brokenReason: string | null;
}

export interface DeviceSetBody {
  displayName: string;
  conditions: SetCondition[];
}

/** The template a set's devices share: the value of its `template eq` condition. */
export function templateOfSet(set: Pick<DeviceSet, 'conditions'>): string | null {
  const condition = set.conditions.find((c) => c.field === 'template' && c.operator === 'eq');
  return typeof condition?.value === 'string' ? condition.value : null;
}

/** The commands the audit records, by the event that records each. */
export const AUDIT_ACTIONS = [
  'JobCreated',
  'JobStopped',
  'JobPaused',
  'JobResumed',
  'JobApproved',
  'DeviceTemplateSaved',
  'DeviceTemplateDeleted',
  'DeviceRegistered',
  'DeviceDeleted',
  'DeviceSetSaved',
  'DeviceSetDeleted',
  'TokenCreated',
  'TokenRevoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who sent a command: `user:<subject>`, `token:<id>` or `local:anonymous`, with a name to read. */
export interface AuditActor {
  id: string;
  name: string;
  role: string;
  /** The client's address as the public edge saw it. */
  address?: string;
}

/** One command as `GET /api/audit` lists it. */
export interface AuditEntry {
  eventId: string;
  time: string;
  actor: AuditActor;
  action: AuditAction;
  /** The id of the job, device, template, set or token concerned. */
  subject: string;
  /** Names and counts of what was asked (see docs/openapi.yaml, AuditEntry). */
  summary: Record<string, unknown>;
}

/** Filters of `GET /api/audit`; `from` inclusive, `to` exclusive, both ISO instants. */
export interface AuditQuery extends PageQuery {
  actor?: string;
  action?: AuditAction | '';
  subject?: string;
  from?: string;
  to?: string;
}

/** How long a job would take (`POST /api/jobs/preview`), assuming every device succeeds. */
export interface JobEta {
  seconds: number;
  sendingSeconds: number;
  pauseSeconds: number;
  batches: number;
  requestsPerDevice: number;
  peakDevicesPerMinute: number | null;
  limitedBy: 'rollout' | 'hub' | 'none';
}

/** An active job that already targets some of the previewed job's devices. */
export interface JobOverlap {
  jobId: string;
  displayName: string;
  status: 'pending' | 'running' | 'paused';
  sharedDevices: number;
  sameWrites: { type: 'property' | 'setting'; name: string }[];
}

/** What a job would do if it were run now; nothing is created. */
export interface JobPreview {
  targets: { total: number; byTemplate: { template: string; devices: number }[] };
  eta: JobEta;
  overlaps: JobOverlap[];
}
