import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { HealthHttpController } from './health.http.controller';
import { LivenessRegistry } from './liveness.registry';
import { MetricsHttpController } from './metrics.http.controller';
import { ReadinessRegistry } from './readiness.registry';

let defaultMetricsCollected = false;

/** Health and metrics endpoints of a process; services add their checks to `ReadinessRegistry` and `LivenessRegistry`. */
@Global()
@Module({
  controllers: [HealthHttpController, MetricsHttpController],
  providers: [ReadinessRegistry, LivenessRegistry],
  exports: [ReadinessRegistry, LivenessRegistry],
})
export class OperabilityModule {
  constructor() {
    if (!defaultMetricsCollected) {
      collectDefaultMetrics({ register });
      defaultMetricsCollected = true;
    }
  }
}
