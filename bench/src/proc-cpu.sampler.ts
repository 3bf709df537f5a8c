import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** CPU time of one process from `/proc/<pid>/stat`, in clock ticks; `null` once it is gone. */
export interface ProcCpu {
  pid: number;
  ppid: number;
  /** utime + stime of every thread of the process. */
  ownTicks: number;
  /** cutime + cstime: children it has waited for (PostgreSQL's postmaster reaps every backend). */
  reapedChildTicks: number;
}

let ticksPerSecond: number | null = null;

/** `getconf CLK_TCK`: the unit of the /proc CPU counters (100 on every Linux in practice). */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function readProcCpu(pid: number | undefined): ProcCpu | null {
  if (!pid) return null;
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state) of proc(5): ppid 4, utime 14, stime 15, cutime 16, cstime 17.
    return {
      pid,
      ppid: Number(fields[1]),
      ownTicks: Number(fields[11]) + Number(fields[12]),
      reapedChildTicks: Number(fields[13]) + Number(fields[14]),
    };
  } catch {
    return null;
  }
}

export function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
}

/**
 * The Kafka broker listening on `port`: a JVM whose command line runs `kafka.Kafka` and that holds
 * the listening socket. Other brokers on the machine (a test's) are left out; when the socket
 * cannot be told, every `kafka.Kafka` process is returned.
 */
export function kafkaPids(port: number): number[] {
  const brokers = allPids().filter((pid) => / kafka\.Kafka( |$)/.test(readCmdline(pid)));
  if (brokers.length <= 1) return brokers;
  const inodes = listeningSocketInodes(port);
  const listening = brokers.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          return match !== null && inodes.has(match[1]);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
  return listening.length ? listening : brokers;
}

/** Inodes of the TCP sockets listening on `port` (state 0A in /proc/net/tcp and tcp6). */
function listeningSocketInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 9 && fields[1].endsWith(`:${hexPort}`) && fields[3] === '0A') inodes.add(fields[9]);
    }
  }
  return inodes;
}

export type PostgresRole = 'postmaster' | 'bench-backend' | 'simulator-backend' | 'other-backend' | 'background';

/**
 * Every PostgreSQL server process with its role: client backends are told apart by their
 * process title (`postgres: [cluster:] user database host(port) state`), so those of the bench's
 * own databases (`<prefix>_…`) can be counted apart from the hub simulator's database and from
 * other clients of a shared server.
 */
export function postgresProcesses(databasePrefix: string, simulatorDatabase?: string): { pid: number; role: PostgresRole }[] {
  const found: { pid: number; role: PostgresRole }[] = [];
  for (const pid of allPids()) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm !== 'postgres') continue;
    const cmdline = readCmdline(pid);
    if (!cmdline.startsWith('postgres:')) found.push({ pid, role: 'postmaster' });
    else if (!/\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]|\]\(\d+\)/.test(cmdline) || /autovacuum worker/.test(cmdline)) {
      found.push({ pid, role: 'background' });
    } else if (simulatorDatabase && cmdline.includes(` ${simulatorDatabase} `)) found.push({ pid, role: 'simulator-backend' });
    else found.push({ pid, role: cmdline.includes(` ${databasePrefix}_`) ? 'bench-backend' : 'other-backend' });
  }
  return found;
}

/** The whole machine from `/proc/stat`: busy and total ticks over all cores. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = values;
  return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}
