import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FAILURE_KINDS, RATE_MODES, Rollout, ROLLOUT_LIMITS, ROLLOUT_SCOPES } from '@fleetjobs/contracts';
import { HasNoDuplicates } from '@fleetjobs/http-kit';
import { IsAboveAtMost, NotAbove, NotTogetherWith, OnlyInMode } from './rollout.validators';

const L = ROLLOUT_LIMITS;
const KINDS = { message: `each must be one of ${FAILURE_KINDS.join(', ')}` };

/** Exactly one of `size` and `percent`. */
export class RolloutBatchesRequestDto {
  @ValidateIf((batches: RolloutBatchesRequestDto) => batches.percent === undefined)
  @IsDefined({ message: 'is required unless percent is given' })
  @IsInt()
  @Min(1)
  size?: number;

  @IsOptional()
  @IsAboveAtMost(0, 100)
  @NotTogetherWith('size', { message: 'must not be given together with size: a batch is either a count or a percent' })
  percent?: number;
}

export class RolloutSuccessGateRequestDto {
  @IsAboveAtMost(0, 100)
  percent: number;
}

export class RolloutRampRequestDto {
  @IsOptional()
  @IsAboveAtMost(0, L.maxPerMinute)
  startPerMinute?: number;

  @IsOptional()
  @IsAboveAtMost(1, 100)
  factor?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  afterSuccesses?: number;
}

/** `perMinute` (and a ramp) for a fixed rate; `mode: adaptive` with `minPerMinute` and `maxPerMinute`. */
export class RolloutRateRequestDto {
  @IsOptional()
  @IsIn(RATE_MODES, { message: `must be one of ${RATE_MODES.join(', ')}` })
  mode?: 'fixed' | 'adaptive';

  @ValidateIf((rate: RolloutRateRequestDto) => rate.mode !== 'adaptive' || rate.perMinute !== undefined)
  @IsDefined({ message: 'is required for a fixed rate' })
  @OnlyInMode('fixed', { message: 'belongs to a fixed rate; an adaptive rate takes minPerMinute and maxPerMinute' })
  @IsAboveAtMost(0, L.maxPerMinute)
  perMinute?: number;

  @IsOptional()
  @OnlyInMode('fixed', { message: 'belongs to a fixed rate' })
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutRampRequestDto)
  ramp?: RolloutRampRequestDto;

  @ValidateIf((rate: RolloutRateRequestDto) => rate.mode === 'adaptive' || rate.minPerMinute !== undefined)
  @IsDefined({ message: 'is required for an adaptive rate' })
  @OnlyInMode('adaptive')
  @IsAboveAtMost(0, L.maxPerMinute)
  @NotAbove('maxPerMinute')
  minPerMinute?: number;

  @ValidateIf((rate: RolloutRateRequestDto) => rate.mode === 'adaptive' || rate.maxPerMinute !== undefined)
  @IsDefined({ message: 'is required for an adaptive rate' })
  @OnlyInMode('adaptive')
  @IsAboveAtMost(0, L.maxPerMinute)
  maxPerMinute?: number;

  @IsOptional()
  @OnlyInMode('adaptive')
  @IsAboveAtMost(0, L.maxPerMinute)
  startPerMinute?: number;

  @IsOptional()
  @OnlyInMode('adaptive')
  @IsAboveAtMost(0, L.maxPerMinute)
  stepPerMinute?: number;

  @IsOptional()
  @OnlyInMode('adaptive')
  @IsAboveAtMost(0, 0.99)
  decreaseFactor?: number;

  @IsOptional()
  @OnlyInMode('adaptive')
  @IsInt()
  @Min(1)
  @Max(L.maxLatencyMs)
  maxLatencyMs?: number;

  @IsOptional()
  @OnlyInMode('adaptive')
  @IsAboveAtMost(0, 100)
  maxFailurePercent?: number;
}

/** Exactly one of `percent` (0 to 100) and `count`. */
export class RolloutAbortThresholdRequestDto {
  @ValidateIf((failed: RolloutAbortThresholdRequestDto) => failed.count === undefined)
  @IsDefined({ message: 'is required unless count is given' })
  @IsNumber()
  @Min(0)
  @Max(100)
  percent?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @NotTogetherWith('percent', { message: 'must not be given together with percent' })
  count?: number;
}

export class RolloutAbortRuleRequestDto {
  @IsDefined({ message: 'is required' })
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutAbortThresholdRequestDto)
  failed: RolloutAbortThresholdRequestDto;

  @IsOptional()
  @IsInt()
  @Min(0)
  minExecuted?: number;

  @IsOptional()
  @IsIn(ROLLOUT_SCOPES, { message: `must be one of ${ROLLOUT_SCOPES.join(', ')}` })
  scope?: 'job' | 'batch';

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @HasNoDuplicates()
  @IsIn(FAILURE_KINDS, { each: true, ...KINDS })
  kinds?: string[];
}

export class RolloutBackoffRequestDto {
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(L.maxBackoffMs)
  initialMs?: number;

  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(10)
  factor?: number;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(L.maxBackoffMs)
  maxMs?: number;

  @IsOptional()
  @IsBoolean()
  jitter?: boolean;
}

export class RolloutRetriesRequestDto {
  @IsInt()
  @Min(1)
  @Max(L.maxAttempts)
  maxAttempts: number;

  @IsOptional()
  @IsArray()
  @HasNoDuplicates()
  @IsIn(FAILURE_KINDS, { each: true, ...KINDS })
  on?: string[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutBackoffRequestDto)
  backoff?: RolloutBackoffRequestDto;
}

/** `rollout` of a job body: how its devices are reached over time (docs/openapi.yaml, Rollout). */
export class RolloutRequestDto {
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutBatchesRequestDto)
  batches?: RolloutBatchesRequestDto;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutSuccessGateRequestDto)
  successGate?: RolloutSuccessGateRequestDto;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(L.maxPauseBetweenSeconds)
  pauseBetweenSeconds?: number;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutRateRequestDto)
  rate?: RolloutRateRequestDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(L.maxAbortRules)
  @ValidateNested({ each: true })
  @Type(() => RolloutAbortRuleRequestDto)
  abort?: RolloutAbortRuleRequestDto[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => RolloutRetriesRequestDto)
  retries?: RolloutRetriesRequestDto;

  @IsOptional()
  @IsInt()
  @Min(L.minTimeoutSeconds)
  @Max(L.maxTimeoutSeconds)
  timeoutSeconds?: number;
}

/** The validated rollout as plain data, keeping only the fields that were given. */
export function rolloutOf(dto: RolloutRequestDto | null | undefined): Rollout | undefined {
  return dto ? (JSON.parse(JSON.stringify(dto)) as Rollout) : undefined;
}
