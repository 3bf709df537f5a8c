import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CheckJobDefinitionHandler, JobDefinitionVerdict } from './check-job-definition.handler';
import { JobDefinitionCheckRequestDto } from './job-definition-check.request.dto';

/** Internal: job-command asks whether a job definition may be created before deciding JobCreated. */
@Controller('internal/job-definition-checks')
export class JobDefinitionChecksHttpController {
  constructor(private readonly handler: CheckJobDefinitionHandler) {}

  @Post()
  @HttpCode(200)
  check(@Body() body: JobDefinitionCheckRequestDto): Promise<JobDefinitionVerdict> {
    return this.handler.check({
      deviceSet: body.deviceSet,
      devices: body.devices ?? null,
      operations: body.operations.map(({ type, name, value }) => ({ type, name, value })),
      batchSize: body.batchSize ?? null,
      countMembersUpTo: body.countMembersUpTo ?? null,
    });
  }
}
