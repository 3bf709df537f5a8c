import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS, CE_HEADERS, TOPICS, WireMessage } from '@fleetjobs/contracts';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { SqlEventLog, Subscription } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule } from '@fleetjobs/runtime';
import { testPostgresUrl, waitFor } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccessModule } from '../access.module';
import { readAccessConfig } from '../config/access-config';
import { accessEdge } from '../edge/access.middleware';
import { httpApiTokenVerifier } from '../edge/http-api-token-verifier';
import { accessMigrations } from './access.migrations';
import { ACCESS_CONFIG } from './access.tokens';

interface Answer {
  status: number;
  body: any;
}

/**
 * The AccessModule as job-command hosts it (real PostgreSQL, the embedded event log), behind the
 * public edge, which checks API tokens through the module's internal endpoint as the gateway does.
 */
describe('API tokens over HTTP, behind the public edge', () => {
  const database = `fleetjobs_test_access_http_${randomBytes(6).toString('hex')}`;
  const bootstrap = `fjt_bootstrap_${randomBytes(32).toString('base64url')}`;
  const config = readAccessConfig({ FLEETJOBS_ADMIN_TOKEN: bootstrap });
  let dataSource: DataSource;
  let eventLog: SqlEventLog;
  let subscription: Subscription;
  const published: WireMessage[] = [];
  let app: INestApplication;
  let base: string;

  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const fields = (answer: Answer) => [...new Set((answer.body.errors ?? []).map((error: { field: string }) => error.field))];

  beforeAll(async () => {
    dataSource = await openPostgres({ url: testPostgresUrl(database), migrations: accessMigrations });
    eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
    await eventLog.init();
    await eventLog.ensureTopics(ALL_TOPICS, 2);
    subscription = await eventLog.subscribe({ groupId: 'test', topics: [TOPICS.access], handleBatch: async (batch) => void published.push(...batch) });
    const endpoints = { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' };
    const moduleRef = await Test.createTestingModule({ imports: [InfraModule.forRoot({ dataSource, eventLog, endpoints }), AccessModule] })
      .overrideProvider(ACCESS_CONFIG)
      .useValue(config)
      .compile();
    app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
    let verify = httpApiTokenVerifier('http://127.0.0.1:1');
    app.use(accessEdge({ config, verifyApiToken: (credential) => verify(credential), logger: { warn: () => undefined } }));
    configureHttpApp(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    verify = httpApiTokenVerifier(base);
  });
  afterAll(async () => {
    await subscription?.stop();
    await app?.close();
    await eventLog?.close().catch(() => undefined);
    if (dataSource?.isInitialized) await dataSource.destroy();
    const admin = new Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  it('knows the bootstrap token of FLEETJOBS_ADMIN_TOKEN as an administrator from the start', async () => {
    expect(await call('GET', '/api/me', bootstrap)).toEqual({
      status: 200,
      body: { id: 'token:bootstrap', name: 'bootstrap administrator (FLEETJOBS_ADMIN_TOKEN)', role: 'administrator' },
    });
  });

  it('tells the dashboard, without credentials, to sign in with an API token', async () => {
    expect(await call('GET', '/api/auth/config')).toEqual({ status: 200, body: { mode: 'token' } });
  });

  it('creates a token shown once, which then acts with its role until revoked', async () => {
    const created = await call('POST', '/api/tokens', bootstrap, { name: 'nightly rollout', role: 'operator' });
    expect(created.status).toBe(201);
    const { id, token } = created.body;
    expect(created.body).toMatchObject({ name: 'nightly rollout', role: 'operator', createdBy: { id: 'token:bootstrap' }, revokedAt: null });
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(89 * 24 * 3600_000);
    expect(token).toMatch(new RegExp(`^fjt_${id}_`));

    expect(await call('GET', '/api/me', token)).toEqual({ status: 200, body: { id: `token:${id}`, name: 'nightly rollout', role: 'operator' } });
    const refused = await call('POST', '/api/tokens', token, { name: 'escalate', role: 'administrator' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ field: 'authorization', message: 'needs the administrator role' }]);

    expect((await call('DELETE', `/api/tokens/${id}`, bootstrap)).status).toBe(204);
    expect((await call('GET', '/api/me', token)).status).toBe(401);
    expect((await call('DELETE', `/api/tokens/${id}`, bootstrap)).status).toBe(204);

    await waitFor('TokenCreated and TokenRevoked of the token on fleetjobs.access', () =>
      published.filter((message) => message.key === id).length === 2,
    );
    const events = published.filter((message) => message.key === id);
    expect(events.map((message) => message.headers[CE_HEADERS.type])).toEqual(['TokenCreated', 'TokenRevoked']);
    expect(events.every((message) => message.headers[CE_HEADERS.actor] === 'token:bootstrap')).toBe(true);
    expect(events.some((message) => message.value.includes(token.slice(-43)))).toBe(false);
  });

  it('lists tokens newest first, page by page, never with a secret', async () => {
    for (const name of ['first', 'second']) await call('POST', '/api/tokens', bootstrap, { name, role: 'viewer' });
    const page = await call('GET', '/api/tokens?limit=1', bootstrap);
    expect(page.body.value.map((token: { name: string }) => token.name)).toEqual(['second']);
    const next = await call('GET', `/api/tokens?limit=1&cursor=${page.body.nextCursor}`, bootstrap);
    expect(next.body.value.map((token: { name: string }) => token.name)).toEqual(['first']);
    const all = await call('GET', '/api/tokens?limit=1000', bootstrap);
    expect(all.body.value.map((token: { id: string }) => token.id)).toContain('bootstrap');
    expect(JSON.stringify(all.body)).not.toMatch(/secret|fjt_|"token"/);
  });

  it.each([
    [{ name: 'x', role: 'god' }, ['role']],
    [{ role: 'viewer' }, ['name']],
    [{ name: 'nul\u0000', role: 'viewer' }, ['name']],
    [{ name: 'x', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' }, ['expiresAt']],
    [{ name: 'x', role: 'viewer', expiresAt: '+275760-09-13T00:00:00Z' }, ['expiresAt']],
    [{ name: 'x', role: 'viewer', admin: true }, ['admin']],
  ])('refuses %j with 400 naming %j, creating nothing', async (body, named) => {
    const before = (await call('GET', '/api/tokens?limit=1000', bootstrap)).body.value.length;
    const answer = await call('POST', '/api/tokens', bootstrap, body);
    expect(answer.status).toBe(400);
    expect(fields(answer)).toEqual(named);
    expect((await call('GET', '/api/tokens?limit=1000', bootstrap)).body.value.length).toBe(before);
  });

  it('answers 404 for revoking an unknown token and 400 for a cursor it did not give out', async () => {
    expect((await call('DELETE', '/api/tokens/no-such-token', bootstrap)).status).toBe(404);
    const foreign = Buffer.from(JSON.stringify(['+275760-09-13T00:00:00.000Z', 'x'])).toString('base64url');
    const answer = await call('GET', `/api/tokens?cursor=${foreign}`, bootstrap);
    expect(answer.status).toBe(400);
    expect(fields(answer)).toEqual(['cursor']);
  });

  it('answers 401 to an unknown or malformed API token at the edge, and the internal check says the same', async () => {
    expect((await call('GET', '/api/me', `fjt_unknown_${'x'.repeat(43)}`)).status).toBe(401);
    expect((await call('GET', '/api/me', 'fjt_')).status).toBe(401);
    const internal = await call('POST', '/internal/access/tokens/verify', undefined, { token: `fjt_unknown_${'x'.repeat(43)}` });
    expect(internal.status).toBe(401);
  });
});
