import { randomBytes } from 'node:crypto';
import { Actor, CE_HEADERS, TOPICS } from '@fleetjobs/contracts';
import { openPostgres, PgUnitOfWork } from '@fleetjobs/persistence-pg';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { readAccessConfig } from '../config/access-config';
import { accessMigrations } from './access.migrations';
import { ACCESS_SCHEMA } from './access.schema';
import { ApiTokensHandler } from './api-tokens.handler';

interface OutboxRow {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: string;
}

const administrator: Actor = { id: 'user:alice', name: 'alice', role: 'administrator', address: '198.51.100.4' };
const HOUR = 60 * 60 * 1000;

/** The API token store on a real PostgreSQL database with its migrations; the outbox read as the relay would. */
describe('API tokens in PostgreSQL', () => {
  const database = `fleetjobs_test_access_${randomBytes(6).toString('hex')}`;
  let dataSource: DataSource;
  let now: Date;
  let handler: ApiTokensHandler;

  const outbox = (): Promise<OutboxRow[]> => dataSource.query(`SELECT topic, key, headers, value FROM ${ACCESS_SCHEMA}.outbox ORDER BY id`);
  const handlerWith = (adminToken: string | null = null) =>
    new ApiTokensHandler(
      new PgUnitOfWork({ dataSource, schema: ACCESS_SCHEMA }),
      dataSource,
      { ...readAccessConfig({}), adminToken },
      () => now,
    );

  beforeAll(async () => {
    dataSource = await openPostgres({ url: testPostgresUrl(database), migrations: accessMigrations });
  });
  beforeEach(async () => {
    now = new Date('2026-12-04T12:00:00.000Z');
    await dataSource.query(`TRUNCATE ${ACCESS_SCHEMA}.api_tokens, ${ACCESS_SCHEMA}.outbox`);
    handler = handlerWith();
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    const admin = new Client({ connectionString: testPostgresUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates a token that verifies as its own actor, storing only the hash of its secret', async () => {
    const { stored, token } = await handler.create({ name: 'deploy script', role: 'operator', expiresAt: new Date(now.getTime() + HOUR) }, administrator);
    expect(await handler.verify(token)).toEqual({ id: `token:${stored.id}`, name: 'deploy script', role: 'operator' });
    const [row] = await dataSource.query(`SELECT * FROM ${ACCESS_SCHEMA}.api_tokens WHERE id = $1`, [stored.id]);
    const secret = token.slice(`fjt_${stored.id}_`.length);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(row).toMatchObject({ name: 'deploy script', role: 'operator', created_by: administrator, revoked_at: null });
  });

  it('writes TokenCreated with its actor to the outbox in the same transaction', async () => {
    const { stored } = await handler.create({ name: 'ci', role: 'viewer', expiresAt: new Date(now.getTime() + HOUR) }, administrator);
    const [event] = await outbox();
    expect(event.topic).toBe(TOPICS.access);
    expect(event.key).toBe(stored.id);
    expect(event.headers).toMatchObject({
      [CE_HEADERS.type]: 'TokenCreated',
      [CE_HEADERS.actor]: 'user:alice',
      [CE_HEADERS.actorName]: 'alice',
      [CE_HEADERS.actorRole]: 'administrator',
      [CE_HEADERS.actorAddress]: '198.51.100.4',
    });
    expect(JSON.parse(event.value)).toEqual({ tokenId: stored.id, name: 'ci', role: 'viewer', expiresAt: '2026-12-04T13:00:00.000Z' });
  });

  it('refuses a wrong secret, an unknown id and a malformed token', async () => {
    const { stored, token } = await handler.create({ name: 'ci', role: 'viewer', expiresAt: new Date(now.getTime() + HOUR) }, administrator);
    expect(await handler.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(await handler.verify(token.replace(stored.id, 'zzzzzzzzzzzz'))).toBeNull();
    expect(await handler.verify('fjt_nonsense')).toBeNull();
  });

  it('refuses a token from its expiry on', async () => {
    const { token } = await handler.create({ name: 'short', role: 'viewer', expiresAt: new Date(now.getTime() + HOUR) }, administrator);
    now = new Date(now.getTime() + HOUR - 1);
    expect(await handler.verify(token)).not.toBeNull();
    now = new Date(now.getTime() + 1);
    expect(await handler.verify(token)).toBeNull();
  });

  it('refuses a revoked token from the next check on, recording who revoked it once', async () => {
    const { stored, token } = await handler.create({ name: 'ci', role: 'builder', expiresAt: new Date(now.getTime() + HOUR) }, administrator);
    const revoker: Actor = { id: 'token:bootstrap', name: 'bootstrap', role: 'administrator' };
    expect(await handler.revoke(stored.id, revoker)).toBe('revoked');
    expect(await handler.verify(token)).toBeNull();
    expect(await handler.revoke(stored.id, administrator)).toBe('revoked');

    const revocations = (await outbox()).filter((event) => event.headers[CE_HEADERS.type] === 'TokenRevoked');
    expect(revocations).toHaveLength(1);
    expect(revocations[0].headers[CE_HEADERS.actor]).toBe('token:bootstrap');
    expect(JSON.parse(revocations[0].value)).toEqual({ tokenId: stored.id });
    const [row] = await dataSource.query(`SELECT revoked_by FROM ${ACCESS_SCHEMA}.api_tokens WHERE id = $1`, [stored.id]);
    expect(row.revoked_by).toEqual(revoker);
  });

  it('says not-found for revoking an unknown token, writing nothing', async () => {
    expect(await handler.revoke('no-such-token', administrator)).toBe('not-found');
    expect(await outbox()).toEqual([]);
  });

  it('pages newest first without secrets', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      now = new Date(now.getTime() + 1000);
      ids.push((await handler.create({ name: `t${i}`, role: 'viewer', expiresAt: new Date(now.getTime() + HOUR) }, administrator)).stored.id);
    }
    const first = await handler.page(null, 3);
    expect(first.map((token) => token.id)).toEqual([ids[4], ids[3], ids[2]]);
    const rest = await handler.page({ createdAt: first[2].createdAt, id: first[2].id }, 3);
    expect(rest.map((token) => token.id)).toEqual([ids[1], ids[0]]);
  });

  describe('the bootstrap token of FLEETJOBS_ADMIN_TOKEN', () => {
    const bootstrap = `fjt_bootstrap_${randomBytes(32).toString('base64url')}`;

    it('is stored at start as an administrator token that never expires', async () => {
      await handlerWith(bootstrap).onApplicationBootstrap();
      now = new Date(now.getTime() + 10 * 365 * 24 * HOUR);
      expect(await handler.verify(bootstrap)).toEqual({ id: 'token:bootstrap', name: 'bootstrap administrator (FLEETJOBS_ADMIN_TOKEN)', role: 'administrator' });
      const [event] = await outbox();
      expect(event.headers[CE_HEADERS.type]).toBe('TokenCreated');
      expect(event.headers[CE_HEADERS.actor]).toBeUndefined();
      expect(JSON.parse(event.value)).toMatchObject({ tokenId: 'bootstrap', role: 'administrator', expiresAt: null });
    });

    it('is stored once however often the process starts with it, and a revoke stands', async () => {
      expect(await handler.storeBootstrap(bootstrap)).toBe(true);
      expect(await handler.revoke('bootstrap', administrator)).toBe('revoked');
      expect(await handler.storeBootstrap(bootstrap)).toBe(false);
      expect(await Promise.all([handler.storeBootstrap(bootstrap), handler.storeBootstrap(bootstrap)])).toEqual([false, false]);
      expect(await handler.verify(bootstrap)).toBeNull();
      expect((await outbox()).map((event) => event.headers[CE_HEADERS.type])).toEqual(['TokenCreated', 'TokenRevoked']);
    });

    it('is replaced when the process starts with another secret: the old one stops working', async () => {
      const replacement = `fjt_bootstrap_${randomBytes(32).toString('base64url')}`;
      await handler.storeBootstrap(bootstrap);
      expect(await handler.storeBootstrap(replacement)).toBe(true);
      expect(await handler.verify(bootstrap)).toBeNull();
      expect(await handler.verify(replacement)).toMatchObject({ id: 'token:bootstrap' });
    });
  });
});
