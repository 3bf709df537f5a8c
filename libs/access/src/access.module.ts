import { Module } from '@nestjs/common';
import { PgUnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { readAccessConfig } from './config/access-config';
import { AccessOutbox } from './tokens/access.outbox';
import { ACCESS_SCHEMA } from './tokens/access.schema';
import { ACCESS_CLOCK, ACCESS_CONFIG, ACCESS_UNIT_OF_WORK } from './tokens/access.tokens';
import { ApiTokensHandler } from './tokens/api-tokens.handler';
import { MeHttpController } from './tokens/me.http.controller';
import { TokensHttpController } from './tokens/tokens.http.controller';
import { VerifyTokenHttpController } from './tokens/verify-token.http.controller';

/**
 * Owns the API tokens (schema `access`, events on `fleetjobs.access`) and answers `/api/tokens`,
 * `/api/me`, `/api/auth/config` and the internal token check. Hosted by job-command, and so by
 * the embedded process; its migrations are `accessMigrations`. A bad access configuration in the
 * environment stops the start with an `AccessConfigError` naming the variable.
 */
@Module({
  controllers: [TokensHttpController, MeHttpController, VerifyTokenHttpController],
  providers: [
    { provide: ACCESS_CONFIG, useFactory: () => readAccessConfig(process.env) },
    { provide: ACCESS_CLOCK, useValue: () => new Date() },
    AccessOutbox,
    {
      provide: ACCESS_UNIT_OF_WORK,
      useFactory: (dataSource: DataSource, outbox: AccessOutbox) => new PgUnitOfWork({ dataSource, schema: ACCESS_SCHEMA, afterPublish: () => outbox.wake() }),
      inject: [DATA_SOURCE, AccessOutbox],
    },
    ApiTokensHandler,
  ],
  exports: [ApiTokensHandler, ACCESS_CONFIG],
})
export class AccessModule {}
