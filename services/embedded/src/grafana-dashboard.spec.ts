import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { register } from 'prom-client';
import { assignRequestId, collectProcessMetrics } from '@fleetjobs/http-kit';
import { deadLettersCounter, EventLogServer } from '@fleetjobs/messaging';
import { registerOutboxMetrics } from '@fleetjobs/persistence-pg';
import { registerConsumerMetrics } from '@fleetjobs/runtime';
// Loading the services registers the metrics their modules define, as starting them does.
import '@fleetjobs/device-set';
import '@fleetjobs/dispatcher';
import '@fleetjobs/job-command';
import '@fleetjobs/projection';

const DASHBOARD = join(__dirname, '..', '..', '..', 'deploy', 'grafana', 'fleetjobs-dashboard.json');

interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: { refId: string; expr: string }[];
  gridPos: { h: number; w: number; x: number; y: number };
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { uid: string; panels: Panel[] };
const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');

/** Every metric some Fleetjobs process registers, as its /metrics would list them. */
async function registeredMetrics(): Promise<Map<string, string>> {
  collectProcessMetrics();
  assignRequestId(() => undefined);
  deadLettersCounter();
  registerOutboxMetrics({ isInitialized: false } as DataSource, 'any_schema')();
  registerConsumerMetrics({ activeSubscriptions: [] } as unknown as EventLogServer);
  return new Map((await register.getMetricsAsJSON()).map((metric) => [metric.name, String(metric.type)]));
}

/** The metric names a PromQL expression reads; a histogram's series name its metric. */
function metricsIn(expr: string): string[] {
  const names = expr.match(/\b(fleetjobs|process|nodejs)_[a-z0-9_]+\b/g) ?? [];
  return names.map((name) => name.replace(/_(bucket|sum|count)$/, ''));
}

describe('the Grafana dashboard in deploy/grafana', () => {
  it('queries only metrics some process registers, so it cannot drift from the code', async () => {
    const registered = await registeredMetrics();
    const queried = graphs.flatMap((panel) => (panel.targets ?? []).flatMap((target) => metricsIn(target.expr).map((name) => ({ panel: panel.title, name }))));
    expect(queried.length).toBeGreaterThan(20);
    expect(queried.filter(({ name }) => !registered.has(name))).toEqual([]);
    // A series suffix is read only of a histogram.
    for (const panel of graphs) {
      for (const target of panel.targets ?? []) {
        for (const series of target.expr.match(/\bfleetjobs_[a-z0-9_]+_bucket\b/g) ?? []) expect(registered.get(series.replace(/_bucket$/, ''))).toBe('histogram');
      }
    }
  });

  it('shows what an operator watches: outcomes, failures by kind, consumer lag, outbox age and hub throttling', () => {
    const exprs = graphs.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)).join('\n');
    for (const metric of ['fleetjobs_device_outcomes_total', 'fleetjobs_consumer_lag_messages', 'fleetjobs_outbox_oldest_age_seconds', 'fleetjobs_hub_throttled_total']) {
      expect(exprs).toContain(metric);
    }
    expect(exprs).toMatch(/sum by \(kind\) \(rate\(fleetjobs_device_outcomes_total\{result="failed"\}/);
  });

  it('is a dashboard Grafana imports: unique panel ids, every query with its refId, panels on the 24-column grid', () => {
    expect(dashboard.uid).toBe('fleetjobs-overview');
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of graphs) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target).toEqual(expect.objectContaining({ refId: expect.stringMatching(/^[A-Z]$/), expr: expect.any(String) }));
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
  });
});
