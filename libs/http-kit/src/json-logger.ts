import { LoggerService } from '@nestjs/common';
import pino from 'pino';

/** Structured JSON logs (one line per entry) for every Nest logger call. */
export class JsonLogger implements LoggerService {
  private readonly logger: pino.Logger;

  constructor(service: string, level = process.env.LOG_LEVEL ?? 'info') {
    this.logger = pino({ level, base: { service } });
  }

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }

  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }

  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }

  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
