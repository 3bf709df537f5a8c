import { cpuBetween, CpuRecorder, CpuSubject } from './cpu-account';
import { clockTicksPerSecond } from './proc-cpu.sampler';

describe('CpuRecorder', () => {
  it('counts a process that ended during the run with its CPU at the last sample that saw it', () => {
    jest.useFakeTimers();
    try {
      const samples: Map<number, number>[] = [
        new Map([[11, 100], [12, 50]]), // start
        new Map([[11, 130], [12, 80], [13, 5]]), // a sample: 13 started
        new Map([[11, 160], [13, 25]]), // a sample: 12 ended (its last value was 80)
        new Map([[11, 200]]), // the end: 13 ended too
      ];
      let next = 0;
      const postgres: CpuSubject = { name: 'PostgreSQL', kind: 'fleetjobs', sample: () => samples[next++] };
      const recorder = new CpuRecorder([postgres], 1_000);

      const start = recorder.start();
      jest.advanceTimersByTime(2_000);
      const end = recorder.stop();

      const [line] = cpuBetween([postgres], start, end);
      const ticks = 200 - 100 + (80 - 50) + 25;
      expect(line.cpuMs).toBeCloseTo((ticks * 1000) / clockTicksPerSecond());
      expect(line.pids.sort()).toEqual([11, 12, 13]);
    } finally {
      jest.useRealTimers();
    }
  });
});
