/** An ISO 8601 instant with millisecond precision, or null when the text is not a time. */
export function toIsoInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * `toIsoInstant` limited to years 0000–9999: JavaScript writes later years as `+275760-…`,
 * which PostgreSQL does not read. For instants from clients, such as cursors.
 */
export function toStorableInstant(value: string | null | undefined): string | null {
  const instant = toIsoInstant(value);
  return instant !== null && /^\d{4}-/.test(instant) ? instant : null;
}
