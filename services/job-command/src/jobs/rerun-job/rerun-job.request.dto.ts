import { IsDefined, IsOptional, ValidateBy } from 'class-validator';
import { ID_PATTERN, ID_RULE, MAX_EXPLICIT_DEVICES, MAX_EXPLICIT_DEVICES_BYTES, jsonBytes } from '@fleetjobs/contracts';
import { IsId } from '@fleetjobs/http-kit';
import type { RerunDevices } from './rerun-devices.policy';

/** Body of `POST /api/jobs/{id}/rerun`. */
export class RerunJobRequestDto {
  /** The new job's id; omitted: the server chooses one. */
  @IsOptional()
  @IsId()
  id?: string;

  /** `failed`, `all`, or the original's devices to rerun on. */
  @IsDefined({ message: 'is required' })
  @IsRerunDevices()
  devices: RerunDevices;
}

function IsRerunDevices(): PropertyDecorator {
  return ValidateBy({
    name: 'isRerunDevices',
    validator: {
      validate: (value: unknown) => rerunDevicesProblem(value) === null,
      defaultMessage: (args) => `${args?.property} ${rerunDevicesProblem(args?.value) ?? ''}`.trim(),
    },
  });
}

function rerunDevicesProblem(value: unknown): string | null {
  // An absent value is IsDefined's to name.
  if (value === undefined || value === null || value === 'failed' || value === 'all') return null;
  const rule = `must be "failed", "all" or a list of 1 to ${MAX_EXPLICIT_DEVICES} device ids`;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_EXPLICIT_DEVICES) return rule;
  if (jsonBytes(value) > MAX_EXPLICIT_DEVICES_BYTES) return `must take at most ${MAX_EXPLICIT_DEVICES_BYTES} bytes as JSON`;
  const bad = value.find((id) => typeof id !== 'string' || !ID_PATTERN.test(id));
  if (bad !== undefined) return `must hold device ids only: each ${ID_RULE}`;
  if (new Set(value).size !== value.length) return 'must not name a device twice';
  return null;
}
