export * from './event-log.port';
export * from './nest/consume-events.decorator';
export * from './nest/event-log.server';
export * from './embedded/sql-event-log.adapter';
export * from './kafka/kafka-event-log.adapter';
export * from './namespaced-event-log';
