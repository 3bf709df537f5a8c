import type { ActorRef, JobOperation, MaintenanceWindow, Rollout, ScheduleRecurrence } from '@fleetjobs/contracts';
import type { KnownSchedule } from './recurring-schedule.decider';

/** A recurring schedule as `GET /api/schedules/{id}` shows it. */
export interface ScheduleRepresentation {
  id: string;
  displayName: string;
  status: 'active' | 'paused' | 'ended';
  recurrence: ScheduleRecurrence;
  startAt?: string;
  nextRunAt: string | null;
  runs: number;
  nextRunId: string | null;
  lastRunId: string | null;
  job: {
    description: string;
    deviceSet: string;
    devices: string[] | null;
    operations: JobOperation[];
    rollout?: Rollout;
    windows?: MaintenanceWindow[];
  };
  createdAt: string;
  createdBy: ActorRef | null;
}

export function representSchedule(state: KnownSchedule): ScheduleRepresentation {
  const { schedule } = state;
  return {
    id: schedule.scheduleId,
    displayName: schedule.displayName,
    // A deleted schedule is never shown; it reads as ended where a representation is needed.
    status: state.status === 'deleted' ? 'ended' : state.status,
    recurrence: schedule.recurrence,
    ...(schedule.schedule?.startAt !== undefined ? { startAt: schedule.schedule.startAt } : {}),
    nextRunAt: state.nextRun?.startAt ?? null,
    runs: state.runs,
    nextRunId: state.nextRun?.jobId ?? null,
    lastRunId: state.lastRunId,
    job: {
      description: schedule.description,
      deviceSet: schedule.deviceSet,
      devices: schedule.devices,
      operations: schedule.operations,
      ...(schedule.rollout ? { rollout: schedule.rollout } : {}),
      ...(schedule.schedule?.windows ? { windows: schedule.schedule.windows } : {}),
    },
    createdAt: schedule.createdAt,
    createdBy: schedule.createdBy ?? null,
  };
}
