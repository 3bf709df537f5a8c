import { capitalize } from './format';

/** A job or device status as a coloured word (the word carries the meaning; colour only helps). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge--${status}`}>{capitalize(status)}</span>;
}
