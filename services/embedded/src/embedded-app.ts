import { Module, OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { dashboardRouter } from '@fleetjobs/api-gateway';
import { DeviceGateway } from '@fleetjobs/device-gateway';
import { DeviceSetModule } from '@fleetjobs/device-set';
import { DispatcherModule } from '@fleetjobs/dispatcher';
import { ACCESS_CONFIG, AccessConfig, accessEdge, ApiTokensHandler } from '@fleetjobs/access';
import { configureHttpApp, JsonLogger, limitCallers, readCallerLimits, refuseCrossSiteWrites, securityHeaders, LivenessRegistry, OPENAPI_ROUTE, openApiHandler, ReadinessRegistry, requestIds } from '@fleetjobs/http-kit';
import { JobCommandModule } from '@fleetjobs/job-command';
import { EventLog, EventLogServer } from '@fleetjobs/messaging';
import { ProjectionModule } from '@fleetjobs/projection';
import { InfraModule, registerConsumerHealth, registerConsumerMetrics } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { internalPathsOnlyOn, listenInternally } from './internal.listener';

/**
 * Every service module in one Nest app: one HTTP origin, one database, one event log. Each
 * module still consumes as its own group, so it sees the log exactly as in the distributed run.
 * The modules call one another's internal endpoints on a loopback listener of their own; the
 * public port answers 404 there. Every API request is authenticated as at the gateway.
 */
export async function createEmbeddedApp(options: {
  dataSource: DataSource;
  eventLog: EventLog;
  deviceGateway: DeviceGateway;
}): Promise<NestExpressApplication> {
  const internal = await listenInternally();
  const self = `http://127.0.0.1:${internal.port}`;

  @Module({
    imports: [
      InfraModule.forRoot({
        dataSource: options.dataSource,
        eventLog: options.eventLog,
        deviceGateway: options.deviceGateway,
        endpoints: { deviceSet: self, jobCommand: self, dispatcher: self, projection: self },
      }),
      DeviceSetModule,
      JobCommandModule,
      // One process: any in-flight operation not owned by this run was cut short by a crash.
      DispatcherModule.register({ orphanAfterMs: 0 }),
      ProjectionModule,
    ],
  })
  class EmbeddedAppModule implements OnApplicationShutdown {
    onApplicationShutdown(): void {
      internal.server.close();
      internal.server.closeAllConnections();
    }
  }

  const app = await NestFactory.create<NestExpressApplication>(EmbeddedAppModule, {
    bodyParser: false,
    logger: new JsonLogger('fleetjobs'),
  });
  app.use(internalPathsOnlyOn(internal.port));
  app.use(requestIds());
  const accessConfig = app.get<AccessConfig>(ACCESS_CONFIG);
  // The dashboard fetches the OpenID provider's discovery, keys and tokens from its page.
  app.use(securityHeaders({ connectTo: accessConfig.oidc ? [accessConfig.oidc.issuer] : [] }));
  app.use(refuseCrossSiteWrites);
  // The same edge as the gateway's: API tokens are checked by this process's own access module.
  const tokens = app.get(ApiTokensHandler);
  app.use(accessEdge({ config: accessConfig, verifyApiToken: (credential) => tokens.verify(credential) }));
  app.use(limitCallers(readCallerLimits(process.env)));
  configureHttpApp(app);
  app.use(OPENAPI_ROUTE, openApiHandler);
  app.use(dashboardRouter());
  const server = new EventLogServer(options.eventLog);
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  registerConsumerMetrics(server);
  const readiness = app.get(ReadinessRegistry);
  readiness.add({ name: 'event-log', check: () => options.eventLog.ping() });
  registerConsumerHealth(server, { readiness, liveness: app.get(LivenessRegistry) });
  internal.server.on('request', app.getHttpAdapter().getInstance());
  return app;
}
