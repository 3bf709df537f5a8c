import { createHash } from 'node:crypto';

/** Rounds of the reference work; the median is kept, so one disturbed round does not count. */
const ROUNDS = 7;
/** Iterations of one round: about 100 ms of one core on the machine the baseline was measured on. */
const ITERATIONS = 16_000;

/**
 * CPU ms (user + system, this process) that a fixed piece of work takes here: the kind of work the
 * services do per device operation (serialising and parsing event-like JSON, hashing, short-lived
 * objects). The same work takes longer on a slower or busier machine, so the CI stage compares
 * Fleetjobs' CPU per operation against the baseline scaled by this figure's ratio to the one
 * recorded with the baseline, rather than against a figure that holds only on the machine it came from.
 */
export function measureCpuCalibrationMs(): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const start = process.cpuUsage();
    referenceWork(round);
    const used = process.cpuUsage(start);
    rounds.push((used.user + used.system) / 1000);
  }
  return rounds.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
}

function referenceWork(seed: number): string {
  let digest = String(seed);
  for (let i = 0; i < ITERATIONS; i += 1) {
    const event = {
      specversion: '1.0',
      type: 'DeviceSucceeded',
      subject: `job-${seed}-${i % 97}`,
      time: new Date(1_764_800_000_000 + i).toISOString(),
      data: { deviceId: `device-${i.toString(36).padStart(8, '0')}`, attempts: i % 3, outcome: { status: 200, payload: { ok: true, digest } } },
    };
    const parsed = JSON.parse(JSON.stringify(event)) as typeof event;
    const rows = new Map<string, number>();
    for (let j = 0; j < 20; j += 1) rows.set(`${parsed.data.deviceId}:${j}`, j * parsed.data.attempts);
    digest = createHash('sha256').update(parsed.data.deviceId).update(String(rows.size)).digest('hex').slice(0, 16);
  }
  return digest;
}
