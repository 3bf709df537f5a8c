import { Capability, DeviceSet, NewJob, Operation, OperationType } from '../api/fleetjobs-api.types';
import { devicesOfJobBody, DeviceSelection, isEmptySelection, noDevices, selectionOfJob } from '../devices/device-selection';
import { OperationRow } from './operation-editor.component';
import { parseOperationValue } from './operation-value';
import { defaultRolloutDraft, RolloutDraft, rolloutDraftOf, rolloutFields, validateRollout } from './rollout-form';
import { defaultScheduleDraft, SCHEDULE_FIELDS, ScheduleDraft, validateSchedule } from './schedule-form';

/** Everything the New job screen holds before Run. */
export interface NewJobDraft {
  displayName: string;
  description: string;
  deviceSetId: string;
  type: OperationType | '';
  operations: OperationRow[];
  selection: DeviceSelection;
  rollout: RolloutDraft;
  /** What Run does when active jobs write the same property or setting on some of its devices. */
  onConflict: OnConflict;
  /** A later start and a maintenance window; by default the job starts at once. */
  schedule: ScheduleDraft;
}

/** `refuse` (the API's default): Run is refused; `queue`: the job waits for them to end; `allow`: it runs beside them. */
export type OnConflict = 'refuse' | 'queue' | 'allow';

export type FieldErrors = Record<string, string[]>;

export function emptyDraft(deviceSetId = ''): NewJobDraft {
  return { displayName: '', description: '', deviceSetId, type: '', operations: [], selection: noDevices(), rollout: defaultRolloutDraft(), onConflict: 'refuse', schedule: defaultScheduleDraft() };
}

let nextRowKey = 1;
export function newOperationRow(name = '', valueText = ''): OperationRow {
  return { key: nextRowKey++, name, valueText };
}

function valueText(value: unknown): string {
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value === undefined || value === null ? '' : String(value);
}

/** A new job that repeats a stopped or finished one: same set, devices and operations (the API's copy of it). */
export function draftCopiedFrom(job: NewJob): NewJobDraft {
  return {
    displayName: `${job.displayName} (copy)`,
    description: job.description ?? '',
    deviceSetId: job.deviceSet,
    type: job.operations[0]?.type ?? '',
    operations: job.operations.map((op) => newOperationRow(op.name, valueText(op.value))),
    selection: selectionOfJob(job.devices ?? null),
    rollout: rolloutDraftOf(job.rollout),
    onConflict: 'refuse',
    schedule: defaultScheduleDraft(),
  };
}

/** The fields of the form that can show an error, so that API errors land next to them. */
export function fieldsOfDraft(draft: NewJobDraft): string[] {
  const fields = ['displayName', 'description', 'deviceSet', 'type', 'operations', 'devices'];
  draft.operations.forEach((_, i) => fields.push(`operations[${i}]`, `operations[${i}].name`, `operations[${i}].value`));
  fields.push(...rolloutFields(draft.rollout), ...SCHEDULE_FIELDS);
  return fields;
}

interface DraftContext {
  deviceSet: DeviceSet | null;
  /** The template's capabilities of the draft's type; `null` while the template is unknown. */
  capabilities: Capability[] | null;
}

/** Checks a draft the way the API will, and gives the job body when nothing is wrong. */
export function validateDraft(draft: NewJobDraft, context: DraftContext): { errors: FieldErrors; body?: NewJob } {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);

  if (!draft.displayName.trim()) add('displayName', 'Enter a name for the job');
  if (!draft.deviceSetId) add('deviceSet', 'Choose a device set');
  else if (context.deviceSet?.broken) add('deviceSet', context.deviceSet.brokenReason ?? 'This device set is broken');
  if (!draft.type) add('type', 'Choose the job type');
  if (draft.operations.length === 0) add('operations', 'Add at least one operation with +');
  if (isEmptySelection(draft.selection)) add('devices', 'Choose at least one device, or all devices of the set');

  const operations: Operation[] = [];
  draft.operations.forEach((row, i) => {
    const capability = context.capabilities?.find((c) => c.name === row.name);
    if (!row.name) return add(`operations[${i}].name`, 'Choose an operation');
    if (!capability) {
      if (context.capabilities) add(`operations[${i}].name`, `“${row.name}” is not a ${draft.type} of the set's template`);
      return;
    }
    const parsed = parseOperationValue(capability.schema, row.valueText);
    if (!parsed.ok) return add(`operations[${i}].value`, parsed.message);
    operations.push({ type: capability.kind, name: row.name, value: parsed.value });
  });

  const devices = devicesOfJobBody(draft.selection);
  const rollout = validateRollout(draft.rollout, { explicitDevices: devices ? devices.length : null });
  Object.assign(errors, rollout.errors);
  const schedule = validateSchedule(draft.schedule, new Date());
  Object.assign(errors, schedule.errors);

  if (Object.keys(errors).length > 0 || !draft.type) return { errors };
  const body: NewJob = {
    displayName: draft.displayName.trim(),
    ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
    deviceSet: draft.deviceSetId,
    ...(devices ? { devices } : {}),
    operations,
    ...(rollout.rollout ? { rollout: rollout.rollout } : {}),
    ...(draft.onConflict !== 'refuse' ? { onConflict: draft.onConflict } : {}),
    ...(schedule.schedule ? { schedule: schedule.schedule } : {}),
  };
  return { errors, body };
}
