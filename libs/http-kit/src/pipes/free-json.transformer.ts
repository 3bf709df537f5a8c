import { ClassConstructor, ClassTransformOptions, instanceToPlain, plainToInstance } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage } from 'class-validator';
import { ValidationProblem } from '../problems/problem.exception';

// class-transformer keeps its `@Type` metadata here and exports it from no public entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };

/** More fields than any request DTO declares: such an object in a DTO's place is refused before it is copied. */
export const MAX_DTO_FIELDS = 64;

type Path = (string | number)[];
interface Detached {
  holder: Record<string, unknown> | unknown[];
  key: string | number;
  path: Path;
  value: unknown;
}
type Class = ClassConstructor<unknown>;

/**
 * class-transformer, but only where a DTO class is expected. Free JSON (operation values, tags,
 * condition values, id lists) is taken over as parsed instead of copied key by key: the copy costs
 * time quadratic in an object's key count (seconds for a 1 MB object) and recursion as deep as the
 * value nests. Validators see the same values either way.
 */
export const freeJsonTransformer = {
  plainToInstance<T>(cls: ClassConstructor<T>, plain: unknown, options?: ClassTransformOptions): T | T[] {
    if (typeof cls !== 'function' || !isPlainObject(plain)) return plainToInstance(cls, plain, options);
    const detached: Detached[] = [];
    try {
      detachFreeJson(cls, plain, [], detached);
      const instance = plainToInstance(cls, plain, options);
      for (const { path, value } of detached) attach(instance, path, value);
      return instance;
    } finally {
      for (const { holder, key, value } of detached) (holder as Record<string | number, unknown>)[key] = value;
    }
  },
  classToPlain: instanceToPlain,
};

/**
 * Replaces, in place, every object or array that no `@Type` declares with null, remembering where
 * it was; an array of DTOs longer than its `@ArrayMaxSize` is refused here, before its elements
 * are copied and checked one by one.
 */
function detachFreeJson(cls: Class, plain: Record<string, unknown>, path: Path, detached: Detached[]): void {
  const keys = Object.keys(plain);
  if (keys.length > MAX_DTO_FIELDS) {
    throw new ValidationProblem([{ field: fieldName(path), message: `has ${keys.length} fields; at most ${MAX_DTO_FIELDS} are known` }]);
  }
  for (const key of keys) {
    const value = plain[key];
    if (typeof value !== 'object' || value === null) continue;
    const type = declaredType(cls, key, plain);
    if (!type) {
      detached.push({ holder: plain, key, path: [...path, key], value });
      plain[key] = null;
    } else if (Array.isArray(value)) {
      const most = mostElements(cls, key);
      if (value.length > most) {
        throw new ValidationProblem([{ field: fieldName([...path, key]), message: `must contain no more than ${most} elements (has ${value.length})` }]);
      }
      value.forEach((element, index) => {
        if (isPlainObject(element)) detachFreeJson(type, element, [...path, key, index], detached);
      });
    } else if (isPlainObject(value)) {
      detachFreeJson(type, value, [...path, key], detached);
    }
  }
}

/** An array of DTOs no request may hold more of, whatever its own limit: more are refused before being copied. */
export const MAX_DTO_ARRAY = 10_000;

/** The most elements `@ArrayMaxSize` allows the array property, capped at MAX_DTO_ARRAY. */
function mostElements(cls: Class, property: string): number {
  const rules = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return rules
    .filter((rule) => rule.propertyName === property && rule.name === 'arrayMaxSize' && typeof rule.constraints?.[0] === 'number')
    .reduce((most, rule) => Math.min(most, rule.constraints[0] as number), MAX_DTO_ARRAY);
}

function declaredType(cls: Class, property: string, object: Record<string, unknown>): Class | undefined {
  const metadata = defaultMetadataStorage.findTypeMetadata(cls, property);
  if (!metadata?.typeFunction) return undefined;
  const type = metadata.typeFunction({ newObject: {}, object, property }) as unknown;
  return typeof type === 'function' && type !== Object ? (type as Class) : undefined;
}

function attach(root: unknown, path: Path, value: unknown): void {
  let holder = root as Record<string | number, unknown> | null;
  for (const key of path.slice(0, -1)) {
    const next = holder?.[key];
    if (typeof next !== 'object' || next === null) return;
    holder = next as Record<string | number, unknown>;
  }
  if (holder) holder[path[path.length - 1]] = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function fieldName(path: Path): string {
  if (path.length === 0) return 'body';
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${key}` : key), '');
}
