/** An ISO 8601 instant with millisecond precision, or null when the text is not a time. */
export function toIsoInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
