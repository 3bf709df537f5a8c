export * from './decider';
export * from './stream-decision';
