import { Global, Module } from '@nestjs/common';
import { HealthHttpController } from './health.http.controller';
import { LivenessRegistry } from './liveness.registry';
import { MetricsHttpController } from './metrics.http.controller';
import { collectProcessMetrics } from './process-metrics';
import { ReadinessRegistry } from './readiness.registry';

/** Health and metrics endpoints of a process; services add their checks to `ReadinessRegistry` and `LivenessRegistry`. */
@Global()
@Module({
  controllers: [HealthHttpController, MetricsHttpController],
  providers: [ReadinessRegistry, LivenessRegistry],
  exports: [ReadinessRegistry, LivenessRegistry],
})
export class OperabilityModule {
  constructor() {
    collectProcessMetrics();
  }
}
