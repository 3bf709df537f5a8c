import { ApiProblem } from '../api/api-problem';
import { fleetjobsApi } from '../api/fleetjobs-api.client';
import { DeviceSet, DeviceTemplate, templateOfSet } from '../api/fleetjobs-api.types';
import { useLoad } from '../shared/use-load.hook';

export interface SetWithTemplate {
  deviceSet: DeviceSet;
  /** The template named by the set's `template eq` condition; `null` if it names none or it is gone. */
  template: DeviceTemplate | null;
}

/** A device set as it is now, with the template whose capabilities its jobs can use. */
export function useDeviceSetWithTemplate(deviceSetId: string) {
  return useLoad<SetWithTemplate | null>(async () => {
    if (!deviceSetId) return null;
    const deviceSet = await fleetjobsApi.getDeviceSet(deviceSetId);
    const templateId = templateOfSet(deviceSet);
    if (!templateId) return { deviceSet, template: null };
    try {
      return { deviceSet, template: await fleetjobsApi.getTemplate(templateId) };
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 404) return { deviceSet, template: null };
      throw error;
    }
  }, [deviceSetId]);
}
