export * from './sql';
export * from './postgres-data-source';
export * from './messaging-tables';
export * from './outbox/outbox.writer';
export * from './outbox/outbox.relay';
export * from './inbox/inbox.guard';
export * from './event-store/pg-event-store';
export * from './pglite/pglite-data-source';
