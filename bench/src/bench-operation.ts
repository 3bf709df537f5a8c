/** The one operation a bench job applies to every device (BENCH_OPERATION). */
export type BenchOperation =
  | { type: 'property'; name: 'location'; value: string }
  | { type: 'setting'; name: 'fanSpeed'; value: number }
  | { type: 'command'; name: 'reboot'; value: Record<string, unknown> };

/** The bench template: one capability of each kind, so any operation type can be benched. */
export const BENCH_TEMPLATE = {
  displayName: 'Bench machine',
  capabilities: [
    { name: 'location', kind: 'property', schema: 'string' },
    { name: 'fanSpeed', kind: 'setting', schema: 'number' },
    { name: 'reboot', kind: 'command', schema: 'object' },
  ],
};

/**
 * The operation for a run. `variant` changes the value between the job and the floor, so the
 * floor writes something new to each twin rather than a value already there.
 */
export function benchOperation(type: string, variant: number): BenchOperation {
  switch (type) {
    case 'property':
      return { type, name: 'location', value: `bench-${variant}` };
    case 'setting':
      return { type, name: 'fanSpeed', value: variant };
    case 'command':
      return { type, name: 'reboot', value: {} };
    default:
      throw new Error(`BENCH_OPERATION must be property, setting or command, not ${type}`);
  }
}
