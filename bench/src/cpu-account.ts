import { clockTicksPerSecond, kafkaPids, machineTicks, postgresProcesses, readProcCpu } from './proc-cpu.sampler';

/** What a measured subject is, for the totals: Fleetjobs itself, the simulator, or neither. */
export type CpuSubjectKind = 'fleetjobs' | 'simulator' | 'other';

/** One line of the CPU table: a process, or several counted together (PostgreSQL, Kafka). */
export interface CpuSubject {
  name: string;
  kind: CpuSubjectKind;
  note?: string;
  /** The processes counted now, with their CPU in ticks. */
  sample(): Map<number, number>;
}

export interface CpuSnapshot {
  at: number;
  subjects: Map<string, Map<number, number>>;
  machine: { busy: number; total: number };
}

export interface CpuLine {
  name: string;
  kind: CpuSubjectKind;
  note?: string;
  cpuMs: number;
  pids: number[];
}

export function processSubject(name: string, pid: number | undefined, kind: CpuSubjectKind, note?: string): CpuSubject {
  return {
    name,
    kind,
    note,
    sample: () => {
      const cpu = readProcCpu(pid);
      return new Map(cpu ? [[cpu.pid, cpu.ownTicks + cpu.reapedChildTicks]] : []);
    },
  };
}

/** This process's own CPU (the bench's HTTP polling, the freshness sampler, the floor's client). */
export function selfSubject(): CpuSubject {
  return processSubject('bench driver', process.pid, 'other', 'this process: polling, sampling, the floors\' clients');
}

/**
 * Fleetjobs' share of a PostgreSQL server that others may use too: the backends connected to
 * the bench's databases but the simulator's, the server's background processes (shared with the
 * simulator's database: counted here, against Fleetjobs) and the postmaster's own time.
 * A backend that ends during the run (a pool closed an idle connection) is counted up to the last
 * sample of a `CpuRecorder` that saw it; one that lived less than a sampling interval is lost (its
 * time moves into the postmaster's reaped-children counter, shared with every other client;
 * `postgresWholeServerSubject` has it).
 */
export function postgresBenchSubject(databasePrefix: string, simulatorDatabase: string): CpuSubject {
  return {
    name: 'PostgreSQL',
    kind: 'fleetjobs',
    note: `backends of ${databasePrefix}_* but ${simulatorDatabase}, + background processes`,
    sample: () => {
      const ticks = new Map<number, number>();
      for (const { pid, role } of postgresProcesses(databasePrefix, simulatorDatabase)) {
        if (role === 'other-backend' || role === 'simulator-backend') continue;
        const cpu = readProcCpu(pid);
        if (cpu) ticks.set(pid, cpu.ownTicks);
      }
      return ticks;
    },
  };
}

/** The backends of the hub simulator's own database: its cost, not Fleetjobs'. */
export function postgresSimulatorSubject(databasePrefix: string, simulatorDatabase: string): CpuSubject {
  return {
    name: 'PostgreSQL for the simulator',
    kind: 'simulator',
    note: `backends of ${simulatorDatabase}`,
    sample: () => {
      const ticks = new Map<number, number>();
      for (const { pid, role } of postgresProcesses(databasePrefix, simulatorDatabase)) {
        if (role !== 'simulator-backend') continue;
        const cpu = readProcCpu(pid);
        if (cpu) ticks.set(pid, cpu.ownTicks);
      }
      return ticks;
    },
  };
}

export function postgresWholeServerSubject(): CpuSubject {
  return {
    name: 'PostgreSQL, whole server',
    kind: 'other',
    note: 'every postgres process, ended backends included (other clients too)',
    sample: () => {
      const ticks = new Map<number, number>();
      for (const { pid, role } of postgresProcesses('\0')) {
        const cpu = readProcCpu(pid);
        if (cpu) ticks.set(pid, cpu.ownTicks + (role === 'postmaster' ? cpu.reapedChildTicks : 0));
      }
      return ticks;
    },
  };
}

export function kafkaSubject(port: number): CpuSubject {
  const pids = kafkaPids(port);
  return {
    name: 'Kafka',
    kind: 'fleetjobs',
    note: pids.length ? `java kafka.Kafka on port ${port}, pid ${pids.join(', ')}` : `no kafka.Kafka process on port ${port}`,
    sample: () => {
      const ticks = new Map<number, number>();
      for (const pid of pids) {
        const cpu = readProcCpu(pid);
        if (cpu) ticks.set(pid, cpu.ownTicks + cpu.reapedChildTicks);
      }
      return ticks;
    },
  };
}

export function takeCpuSnapshot(subjects: CpuSubject[]): CpuSnapshot {
  return { at: Date.now(), subjects: new Map(subjects.map((subject) => [subject.name, subject.sample()])), machine: machineTicks() };
}

/**
 * CPU each subject spent between two snapshots. A process present at the end but not at the
 * start counts from zero (it started during the run); one gone at the end is not counted.
 */
export function cpuBetween(subjects: CpuSubject[], start: CpuSnapshot, end: CpuSnapshot): CpuLine[] {
  const msPerTick = 1000 / clockTicksPerSecond();
  return subjects.map((subject) => {
    const before = start.subjects.get(subject.name) ?? new Map<number, number>();
    const after = end.subjects.get(subject.name) ?? new Map<number, number>();
    let ticks = 0;
    for (const [pid, value] of after) ticks += value - (before.get(pid) ?? 0);
    return { name: subject.name, kind: subject.kind, note: subject.note, cpuMs: ticks * msPerTick, pids: [...after.keys()] };
  });
}

/** The machine over the same interval: core-seconds busy and available. */
export function machineBetween(start: CpuSnapshot, end: CpuSnapshot): { busyMs: number; totalMs: number } {
  const msPerTick = 1000 / clockTicksPerSecond();
  return { busyMs: (end.machine.busy - start.machine.busy) * msPerTick, totalMs: (end.machine.total - start.machine.total) * msPerTick };
}

/**
 * Samples the subjects every `intervalMs` from `start()` to `stop()`, so that a process that ends
 * during the run counts with the CPU it had at the last sample that saw it. Over a long job,
 * pools open and close PostgreSQL backends, and two snapshots alone would count only those alive
 * at the end.
 */
export class CpuRecorder {
  private readonly lastSeen = new Map<string, Map<number, number>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly subjects: CpuSubject[],
    private readonly intervalMs = 1_000,
  ) {}

  start(): CpuSnapshot {
    const snapshot = this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    return snapshot;
  }

  /** The end snapshot: every process seen since the start, each at its latest sample. */
  stop(): CpuSnapshot {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const end = this.sample();
    return { at: end.at, machine: end.machine, subjects: new Map([...this.lastSeen].map(([name, ticks]) => [name, new Map(ticks)])) };
  }

  private sample(): CpuSnapshot {
    const snapshot = takeCpuSnapshot(this.subjects);
    for (const [name, ticks] of snapshot.subjects) {
      const seen = this.lastSeen.get(name) ?? new Map<number, number>();
      for (const [pid, value] of ticks) seen.set(pid, Math.max(value, seen.get(pid) ?? 0));
      this.lastSeen.set(name, seen);
    }
    return snapshot;
  }
}
