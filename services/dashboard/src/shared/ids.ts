/** Ids of templates, devices, sets and jobs: 1 to 128 letters, digits, `-`, `_`, `.` or `:`. */
export const ID_PATTERN = /^[A-Za-z0-9\-_.:]{1,128}$/;

export function idError(id: string): string | undefined {
  if (!id) return 'Enter an id';
  return ID_PATTERN.test(id) ? undefined : 'Use 1 to 128 letters, digits, “-”, “_”, “.” or “:”';
}

/** Parses free JSON tags typed by an operator: an object, or nothing. */
export function parseJsonObject(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
  } catch {
    // falls through to the message below
  }
  return { ok: false, message: 'Enter a JSON object, for example {"city": "Seattle"}' };
}
