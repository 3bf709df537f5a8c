export * from './normalize-rollout';
export * from './batch-plan';
export * from './batch-advance';
export * from './ramp.controller';
export * from './aimd.controller';
export * from './abort-rules';
export * from './retry-decision';
export * from './classify-failure';
