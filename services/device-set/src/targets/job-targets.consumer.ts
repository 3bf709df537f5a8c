import { Controller, Logger } from '@nestjs/common';
import { TOPICS } from '@fleetjobs/contracts';
import { ConsumedMessage, ConsumeEvents } from '@fleetjobs/messaging';
import { parseOrSkip } from '../shared/parse-or-skip';
import { ResolveJobTargetsHandler } from './resolve-job-targets.handler';

/** Resolves the targets of every created job (group `device-set.targets`); other job events are ignored. */
@Controller()
export class JobTargetsConsumer {
  private readonly logger = new Logger(JobTargetsConsumer.name);

  constructor(private readonly resolver: ResolveJobTargetsHandler) {}

  @ConsumeEvents(TOPICS.jobs, 'device-set.targets')
  async handle(batch: ConsumedMessage[]): Promise<void> {
    for (const message of batch) {
      const event = parseOrSkip(message, this.logger);
      if (event?.type === 'JobCreated') await this.resolver.resolve(event);
    }
  }
}
