import { Gauge, register } from 'prom-client';
import { DataSource } from 'typeorm';
import { queryRows } from '../sql';

interface SchemaFigures {
  rows: number;
  oldestAgeSeconds: number;
  deadLetters: number;
}

const watched = new Map<string, DataSource>();
let snapshot: { at: number; figures: Promise<Map<string, SchemaFigures>> } | null = null;
/** The three gauges are collected concurrently by one scrape: they share one round of queries. */
const SNAPSHOT_REUSE_MS = 1_000;

/**
 * Exposes, per service schema and computed when Prometheus scrapes: the events waiting in the
 * outbox, the age of the oldest (a growing age means publishing is stuck), and the dead letters
 * kept. Returns a function that stops watching the schema.
 */
export function registerOutboxMetrics(dataSource: DataSource, schema: string): () => void {
  watched.set(schema, dataSource);
  ensureGauges();
  return () => {
    if (watched.get(schema) === dataSource) watched.delete(schema);
  };
}

function ensureGauges(): void {
  if (register.getSingleMetric('fleetjobs_outbox_rows')) return;
  const gauge = (name: string, help: string, pick: (figures: SchemaFigures) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['schema'],
      async collect() {
        this.reset();
        for (const [schema, figures] of await currentFigures()) this.set({ schema }, pick(figures));
      },
    });
  gauge('fleetjobs_outbox_rows', 'Events waiting in the outbox to be published', (f) => f.rows);
  gauge('fleetjobs_outbox_oldest_age_seconds', 'Age of the oldest event waiting in the outbox (0 when empty)', (f) => f.oldestAgeSeconds);
  gauge('fleetjobs_dead_letters_stored', 'Dead letters kept in the schema', (f) => f.deadLetters);
}

function currentFigures(): Promise<Map<string, SchemaFigures>> {
  const now = Date.now();
  if (!snapshot || now - snapshot.at > SNAPSHOT_REUSE_MS) snapshot = { at: now, figures: readFigures() };
  return snapshot.figures;
}

async function readFigures(): Promise<Map<string, SchemaFigures>> {
  const figures = new Map<string, SchemaFigures>();
  for (const [schema, dataSource] of watched) {
    if (!dataSource.isInitialized) continue;
    try {
      const [row] = await queryRows<{ rows: string; age: number | null; letters: string }>(
        dataSource,
        `SELECT (SELECT count(*) FROM ${schema}.outbox)::text AS rows,
                (SELECT extract(epoch FROM now() - min(created_at)) FROM ${schema}.outbox)::float8 AS age,
                (SELECT count(*) FROM ${schema}.dead_letters)::text AS letters`,
      );
      figures.set(schema, { rows: Number(row.rows), oldestAgeSeconds: Math.max(0, Number(row.age ?? 0)), deadLetters: Number(row.letters) });
    } catch {
      figures.set(schema, { rows: NaN, oldestAgeSeconds: NaN, deadLetters: NaN });
    }
  }
  return figures;
}
