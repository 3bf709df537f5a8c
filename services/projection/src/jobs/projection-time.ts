/** An ISO 8601 instant with millisecond precision, or null when the text is not a time. */
export function toIsoInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}

/**
 * `toIsoInstant` limited to the years 0001–9999 (UTC): JavaScript writes later years as
 * `+275760-…` and knows a year 0, neither of which PostgreSQL reads. For instants from clients,
 * such as cursors and filters.
 */
export function toStorableInstant(value: string | null | undefined): string | null {
  const instant = toIsoInstant(value);
  return instant !== null && /^(?!0000)\d{4}-/.test(instant) ? instant : null;
}
