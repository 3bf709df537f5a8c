import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';

const sibling = (args: ValidationArguments, field: string) => (args.object as Record<string, unknown>)[field];

/** Refuses the field when `other` is given too (either one, not both). */
export function NotTogetherWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notTogetherWith',
      validator: {
        validate: (value, args) => value === undefined || sibling(args!, other) === undefined,
        defaultMessage: () => `must not be given together with ${other}`,
      },
    },
    options,
  );
}

/** Refuses the field unless the rate's `mode` is `mode` (an absent mode is `fixed`). */
export function OnlyInMode(mode: 'fixed' | 'adaptive', options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'onlyInMode',
      validator: {
        validate: (value, args) => value === undefined || (sibling(args!, 'mode') ?? 'fixed') === mode,
        defaultMessage: () => `belongs to a rate of mode ${mode}`,
      },
    },
    options,
  );
}

/** Refuses a number above the numeric sibling `other` (when both are numbers). */
export function NotAbove(other: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notAbove',
      validator: {
        validate: (value, args) => {
          const bound = sibling(args!, other);
          return typeof value !== 'number' || typeof bound !== 'number' || value <= bound;
        },
        defaultMessage: () => `must not be greater than ${other}`,
      },
    },
    options,
  );
}

/** A number above `min` (exclusive) and at most `max`. */
export function IsAboveAtMost(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAboveAtMost',
      validator: {
        validate: (value) => typeof value === 'number' && Number.isFinite(value) && value > min && value <= max,
        defaultMessage: () => `must be a number above ${min} and at most ${max}`,
      },
    },
    options,
  );
}
