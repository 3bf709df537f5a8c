import { Logger } from '@nestjs/common';
import { logCreator, LogEntry, logLevel } from 'kafkajs';

/** How much of the Kafka client's own logging reaches the process log. */
export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

const KAFKAJS_LEVEL: Record<KafkaLogLevel, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

export function toKafkajsLogLevel(level: KafkaLogLevel): logLevel {
  return KAFKAJS_LEVEL[level];
}

/** Whether a message of `level` passes the configured threshold. */
export function logs(threshold: KafkaLogLevel, level: Exclude<KafkaLogLevel, 'nothing'>): boolean {
  return threshold !== 'nothing' && KAFKAJS_LEVEL[level] <= KAFKAJS_LEVEL[threshold];
}

/**
 * Routes kafkajs logs into the Nest logger (so an application's logger replaces it), one line each,
 * instead of kafkajs's default JSON on the console. kafkajs filters by level before calling this.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, error } = log as { message: string; error?: unknown };
      const line = `[${namespace}] ${message}${error && error !== message ? `: ${String(error)}` : ''}`;
      if (level === logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
      else if (level === logLevel.INFO) logger.log(line);
      else logger.debug(line);
    };
}
