import { FleetjobsRest } from './fleetjobs-rest';
import { uniqueId } from './unique-id';

export interface TestFleet {
  templateId: string;
  setId: string;
  setName: string;
  deviceIds: string[];
}

export interface TestFleetOptions {
  devices: number;
  /** Simulator behaviour (`tags.simulator`) by device index; the default is fast and successful. */
  simulator?: (index: number) => Record<string, unknown> | undefined;
}

/**
 * A template, devices and a set of this run only: the set selects the template and the run's tag,
 * so other tests' devices never fall into it.
 */
export async function createTestFleet(rest: FleetjobsRest, name: string, options: TestFleetOptions): Promise<TestFleet> {
  const run = uniqueId(name);
  const templateId = `${run}-vm`;
  await rest.putTemplate(templateId, 'Refrigerated vending machine', [
    { name: 'fanSpeed', kind: 'setting', schema: 'number' },
    { name: 'ecoMode', kind: 'setting', schema: 'boolean' },
    { name: 'location', kind: 'property', schema: 'string' },
    { name: 'reboot', kind: 'command', schema: 'object' },
  ]);
  const deviceIds = Array.from({ length: options.devices }, (_, i) => `${run}-d${String(i + 1).padStart(3, '0')}`);
  await rest.putDevices(
    deviceIds.map((id, i) => {
      const simulator = options.simulator?.(i);
      return {
        id,
        displayName: `Vending machine ${i + 1}`,
        template: templateId,
        tags: { run, city: 'Seattle', ...(simulator ? { simulator } : {}) },
      };
    }),
  );
  const setId = `${run}-set`;
  const setName = `Seattle machines ${run}`;
  await rest.putDeviceSet(setId, setName, [
    { field: 'template', operator: 'eq', value: templateId },
    { field: 'tags.run', operator: 'eq', value: run },
  ]);
  return { templateId, setId, setName, deviceIds };
}
