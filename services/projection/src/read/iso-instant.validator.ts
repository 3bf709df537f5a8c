import { ValidateBy } from 'class-validator';
import { toStorableInstant } from '../jobs/projection-time';

// A day, or a day and a time with its zone: `2026-03-01`, `2026-03-01T10:00:00Z`, `2026-03-01T12:00+02:00`.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

const isIsoInstant = (value: unknown): value is string => typeof value === 'string' && ISO_TIME.test(value) && toStorableInstant(value) !== null;

const ISO_MESSAGE = 'must be a date (2026-03-01) or a date and time with its zone (2026-03-01T10:00:00Z)';

/** An instant in ISO 8601 (years 0001–9999) that both JavaScript and PostgreSQL read the same. */
export function IsIsoInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isIsoInstant',
    validator: { validate: (value: unknown) => isIsoInstant(value), defaultMessage: () => ISO_MESSAGE },
  });
}

/** `IsIsoInstant`, and not later than the moment of the request: the past and now can be shown, the future cannot. */
export function IsPastIsoInstant(): PropertyDecorator {
  return ValidateBy({
    name: 'isPastIsoInstant',
    validator: {
      validate: (value: unknown) => isIsoInstant(value) && Date.parse(toStorableInstant(value)!) <= Date.now(),
      defaultMessage: (args) => (isIsoInstant(args?.value) ? 'must not be in the future' : ISO_MESSAGE),
    },
  });
}
