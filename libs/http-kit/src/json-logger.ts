import { LoggerService } from '@nestjs/common';
import pino from 'pino';
import { currentRequestId } from '@fleetjobs/contracts';
import './request-context/request-context';

/**
 * The one log format of every Fleetjobs process: pino JSON, one line per entry, naming the service
 * and, while a request or an event it caused is handled, its `requestId`.
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    mixin: () => {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace';

/** Structured JSON logs for every Nest logger call; an object message becomes fields of the line (`msg` its text). */
export class JsonLogger implements LoggerService {
  private readonly logger: pino.Logger;

  constructor(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream) {
    this.logger = createLogger(service, level, destination);
  }

  log(message: unknown, context?: string): void {
    this.write('info', message, { context });
  }

  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, { context, trace });
  }

  warn(message: unknown, context?: string): void {
    this.write('warn', message, { context });
  }

  debug(message: unknown, context?: string): void {
    this.write('debug', message, { context });
  }

  verbose(message: unknown, context?: string): void {
    this.write('trace', message, { context });
  }

  private write(level: Level, message: unknown, extra: Record<string, unknown>): void {
    if (message !== null && typeof message === 'object' && !(message instanceof Error)) {
      const { msg, ...fields } = message as Record<string, unknown>;
      this.logger[level]({ ...extra, ...fields }, String(msg ?? ''));
    } else {
      this.logger[level](extra, String(message));
    }
  }
}
