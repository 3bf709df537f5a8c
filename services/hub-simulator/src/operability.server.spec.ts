import { startOperabilityServer } from './operability.server';

describe('the simulator\'s operability port', () => {
  it('answers liveness, readiness as its database does, and Prometheus metrics', async () => {
    let databaseUp = true;
    const server = await startOperabilityServer({ port: 0, host: '127.0.0.1', ready: async () => databaseUp });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      expect((await fetch(`${base}/health/ready`)).status).toBe(200);
      databaseUp = false;
      const down = await fetch(`${base}/health/ready`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: 'unavailable', checks: [{ name: 'database', ok: false }] });
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await metrics.text()).toContain('process_cpu_seconds_total');
      expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
