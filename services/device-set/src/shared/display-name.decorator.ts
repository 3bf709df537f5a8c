import { applyDecorators } from '@nestjs/common';
import { IsString, Length, ValidateBy } from 'class-validator';
import { MAX_DISPLAY_NAME } from '@fleetjobs/contracts';
import { isStorableText } from './storable-json';

export { MAX_DISPLAY_NAME };

/** Text PostgreSQL stores unchanged: no U+0000, no unpaired surrogate. */
export function IsStorableText(): PropertyDecorator {
  return ValidateBy({
    name: 'isStorableText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || isStorableText(value),
      defaultMessage: (args) => `${args?.property} must not contain U+0000 or unpaired surrogates`,
    },
  });
}

/** A required display name: 1 to 256 characters of storable text. */
export function IsDisplayName(): PropertyDecorator {
  return applyDecorators(IsString(), Length(1, MAX_DISPLAY_NAME), IsStorableText());
}
