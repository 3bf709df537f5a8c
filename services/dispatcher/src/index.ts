export * from './dispatcher.module';
export * from './dispatcher.migrations';
export * from './dispatcher.schema';
export * from './dispatcher.config';
