export * from './sql';
export * from './prepared-sql';
