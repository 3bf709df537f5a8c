/** Thrown when an event's data does not match its declared type and version. */
export class InvalidEventDataError extends Error {
  constructor(
    readonly eventType: string,
    readonly field: string,
    expected: string,
  ) {
    super(`${eventType}: field "${field}" must be ${expected}`);
  }
}

/** Small typed reader over untrusted event data; every getter names the field it rejects. */
export class DataReader {
  private readonly record: Record<string, unknown>;

  constructor(
    private readonly eventType: string,
    raw: unknown,
  ) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InvalidEventDataError(eventType, '(data)', 'an object');
    }
    this.record = raw as Record<string, unknown>;
  }

  string(field: string): string {
    const value = this.record[field];
    if (typeof value !== 'string') throw new InvalidEventDataError(this.eventType, field, 'a string');
    return value;
  }

  optionalString(field: string): string | undefined {
    const value = this.record[field];
    if (value === undefined || value === null) return undefined;
    return this.string(field);
  }

  number(field: string): number {
    const value = this.record[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidEventDataError(this.eventType, field, 'a number');
    }
    return value;
  }

  boolean(field: string): boolean {
    const value = this.record[field];
    if (typeof value !== 'boolean') throw new InvalidEventDataError(this.eventType, field, 'a boolean');
    return value;
  }

  stringArrayOrNull(field: string): string[] | null {
    const value = this.record[field];
    if (value === null || value === undefined) return null;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw new InvalidEventDataError(this.eventType, field, 'an array of strings or null');
    }
    return value as string[];
  }

  array<T>(field: string, readItem: (item: DataReader, index: number) => T): T[] {
    const value = this.record[field];
    if (!Array.isArray(value)) throw new InvalidEventDataError(this.eventType, field, 'an array');
    return value.map((item, index) => readItem(new DataReader(`${this.eventType}.${field}[${index}]`, item), index));
  }

  object(field: string): Record<string, unknown> {
    const value = this.record[field];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InvalidEventDataError(this.eventType, field, 'an object');
    }
    return value as Record<string, unknown>;
  }

  /** A reader of the object in `field`, naming its fields `<type>.<field>`. */
  nested(field: string): DataReader {
    return new DataReader(`${this.eventType}.${field}`, this.object(field));
  }

  any(field: string): unknown {
    return this.record[field];
  }

  has(field: string): boolean {
    return this.record[field] !== undefined;
  }
}
