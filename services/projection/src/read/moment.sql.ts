/** Where a device's status at `$at` comes from: its outcome once that had happened, else pending (`deviceStatusAt`). */
export const settledAt = (at: string) => `(status <> 'pending' AND outcome_at <= ${at})`;
export const statusAt = (at: string) => `CASE WHEN ${settledAt(at)} THEN status ELSE 'pending' END`;
/** The job knew the device at `$at`: its target or its outcome had happened (least ignores nulls). */
export const knownAt = (at: string) => `least(targeted_at, outcome_at) <= ${at}`;
