import { applyDecorators } from '@nestjs/common';
import { ID_PATTERN, ID_RULE, jsonBytes } from '@fleetjobs/contracts';
import { IsString, Matches, ValidateBy, ValidationOptions } from 'class-validator';

/** A string id (PRODUCT.md §2); with `{ each: true }`, every element of an array. */
export function IsId(options: ValidationOptions = {}): PropertyDecorator {
  const subject = options.each ? 'each element of $property' : '$property';
  return applyDecorators(
    IsString({ ...options, message: `${subject} must be a string` }),
    Matches(ID_PATTERN, { ...options, message: `${subject} ${ID_RULE}` }),
  );
}

/**
 * At most `limit` bytes as UTF-8 JSON. A value too deep to serialize is refused too, so that no
 * body reaches a handler that cannot write it out again.
 */
export function MaxJsonBytes(limit: number, options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxJsonBytes',
      constraints: [limit],
      validator: {
        validate: (value: unknown) => serializedBytes(value) <= limit,
        defaultMessage: (args) => {
          const bytes = serializedBytes(args?.value);
          lastMeasured = null;
          const actual = Number.isFinite(bytes) ? ` (is ${bytes})` : ' (is too deeply nested to serialize)';
          return `${args?.property} must be at most ${limit} bytes of JSON${actual}`;
        },
      },
    },
    options,
  );
}

/**
 * No element twice, checked in one pass: class-validator's `ArrayUnique` compares every pair, which
 * took over a minute for a list of 100,000 ids before its size was even reported.
 */
export function HasNoDuplicates(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'hasNoDuplicates',
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || new Set(value).size === value.length,
        defaultMessage: (args) => `${args?.property} must not hold an element twice`,
      },
    },
    options,
  );
}

// PostgreSQL text and jsonb cannot hold U+0000, and jsonb rejects a lone UTF-16 surrogate escape.
const UNSTORABLE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether PostgreSQL can store and compare the string unchanged: no U+0000, no unpaired surrogate. */
export function isStorableString(value: string): boolean {
  return !UNSTORABLE_TEXT.test(value);
}

/** Text PostgreSQL stores unchanged: no U+0000, no unpaired surrogate. */
export function IsStorableText(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !UNSTORABLE_TEXT.test(value),
        defaultMessage: (args) => `${args?.property} must not contain U+0000 or unpaired surrogates`,
      },
    },
    options,
  );
}

// The message is built right after a failed check: the size of the last object measured is kept for it.
let lastMeasured: { value: object; bytes: number } | null = null;

function serializedBytes(value: unknown): number {
  if (typeof value === 'object' && value !== null && lastMeasured?.value === value) return lastMeasured.bytes;
  let bytes: number;
  try {
    bytes = jsonBytes(value);
  } catch {
    bytes = Number.POSITIVE_INFINITY;
  }
  lastMeasured = typeof value === 'object' && value !== null ? { value, bytes } : null;
  return bytes;
}
