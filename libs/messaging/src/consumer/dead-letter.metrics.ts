import { Counter, register } from 'prom-client';
import type { DeadLetter } from './dead-letter';

/** Messages set aside, by consumer group (`outbox` for the relay) and reason. */
export function deadLettersCounter(): Counter<'group' | 'reason'> {
  const existing = register.getSingleMetric('fleetjobs_dead_letters_total');
  if (existing) return existing as Counter<'group' | 'reason'>;
  return new Counter({
    name: 'fleetjobs_dead_letters_total',
    help: 'Messages set aside as dead letters, by consumer group and reason',
    labelNames: ['group', 'reason'],
  });
}

export function countDeadLetters(letters: readonly DeadLetter[]): void {
  const counter = deadLettersCounter();
  for (const letter of letters) counter.inc({ group: letter.group, reason: letter.reason });
}
