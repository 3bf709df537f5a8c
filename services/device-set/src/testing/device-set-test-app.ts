import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ALL_TOPICS, FleetEvent, parseWireMessage, TOPICS } from '@fleetjobs/contracts';
import type { DeviceGateway } from '@fleetjobs/device-gateway';
import { configureHttpApp } from '@fleetjobs/http-kit';
import { EventLogServer, SqlEventLog, Subscription } from '@fleetjobs/messaging';
import { openPostgres } from '@fleetjobs/persistence-pg';
import { InfraModule, waitUntil } from '@fleetjobs/runtime';
import { testPostgresUrl } from '@fleetjobs/testing';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DeviceSetModule } from '../device-set.module';
import { deviceSetMigrations } from '../migrations/device-set-initial.migration';

const ADMIN_URL = testPostgresUrl();

export interface HttpAnswer<T = any> {
  status: number;
  contentType: string | null;
  body: T;
}

/** The device-set service on a throwaway PostgreSQL database, served over real HTTP. */
export interface DeviceSetTestApp {
  app: INestApplication;
  baseUrl: string;
  dataSource: DataSource;
  eventLog: SqlEventLog;
  /** Every event published on the product's topics since the start, as another service sees them. */
  events: EventObserver;
  /** The consumer server, when the app consumes events. */
  server: EventLogServer | null;
  /** `headers` are sent as well, e.g. the actor the public edge would name. */
  http<T = any>(method: string, path: string, body?: unknown, rawBody?: string, headers?: Record<string, string>): Promise<HttpAnswer<T>>;
  /** Waits until the outbox is published and the observer has read it all. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface DeviceSetTestAppOptions {
  deviceGateway?: DeviceGateway;
  /** Connects the event consumers (targets, hub sync). Default false. */
  consumers?: boolean;
}

/** A fresh database with the device_set migrations applied; `drop()` closes and removes it. */
export async function openThrowawayDatabase(): Promise<{ dataSource: DataSource; drop(): Promise<void> }> {
  const databaseName = `fleetjobs_test_device_set_${randomBytes(6).toString('hex')}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  const dataSource = await openPostgres({ url: url.toString(), migrations: deviceSetMigrations });
  return {
    dataSource,
    async drop() {
      if (dataSource.isInitialized) await dataSource.destroy();
      const admin = new Client({ connectionString: ADMIN_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

export async function startDeviceSetTestApp(options: DeviceSetTestAppOptions = {}): Promise<DeviceSetTestApp> {
  const database = await openThrowawayDatabase();
  const { dataSource } = database;
  const eventLog = new SqlEventLog({ dataSource, pollIntervalMs: 20, maxBackoffMs: 500 });
  await eventLog.init();
  await eventLog.ensureTopics(ALL_TOPICS, 4);
  const events = await EventObserver.start(eventLog);

  const moduleRef = await Test.createTestingModule({
    imports: [
      InfraModule.forRoot({
        dataSource,
        eventLog,
        deviceGateway: options.deviceGateway,
        endpoints: { deviceSet: '', dispatcher: '', jobCommand: '', projection: '' },
      }),
      DeviceSetModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error', 'warn'] });
  configureHttpApp(app);
  let server: EventLogServer | null = null;
  if (options.consumers) {
    server = new EventLogServer(eventLog);
    app.connectMicroservice({ strategy: server });
    await app.startAllMicroservices();
  }
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  return {
    app,
    baseUrl,
    dataSource,
    eventLog,
    events,
    server,
    async http(method, path, body, rawBody, headers = {}) {
      const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: payload,
      });
      const text = await response.text();
      return { status: response.status, contentType: response.headers.get('content-type'), body: text ? JSON.parse(text) : undefined };
    },
    async settled() {
      await waitUntil(async () => (await dataSource.query(`SELECT count(*)::int AS n FROM device_set.outbox`))[0].n === 0, {
        what: 'the outbox to be published',
      });
      await events.caughtUp();
    },
    async close() {
      await app.close();
      await events.stop();
      await eventLog.close();
      await database.drop();
    },
  };
}

/** Reads every topic (not the lifecycle topic's copies) as a consumer group of its own and keeps the parsed events. */
export class EventObserver {
  readonly seen: FleetEvent[] = [];
  private subscription: Subscription | null = null;

  static async start(eventLog: SqlEventLog): Promise<EventObserver> {
    const observer = new EventObserver();
    observer.subscription = await eventLog.subscribe({
      groupId: `test-observer-${randomBytes(4).toString('hex')}`,
      topics: ALL_TOPICS.filter((topic) => topic !== TOPICS.jobLifecycle),
      handleBatch: async (batch) => {
        for (const message of batch) {
          const event = parseWireMessage(message);
          if (event) observer.seen.push(event);
        }
      },
    });
    return observer;
  }

  ofType<T extends FleetEvent['type']>(type: T, subject?: string): Extract<FleetEvent, { type: T }>[] {
    return this.seen.filter(
      (event): event is Extract<FleetEvent, { type: T }> => event.type === type && (subject === undefined || event.subject === subject),
    );
  }

  /** Waits until the observer has read everything published so far. */
  async caughtUp(timeoutMs = 15_000): Promise<void> {
    await waitUntil(async () => (await this.subscription!.lag()) === 0, { timeoutMs, what: 'the event observer to catch up' });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
  }
}

export { waitUntil as waitFor };
