import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { ProblemException } from '@fleetjobs/http-kit';
import { IsString, MaxLength } from 'class-validator';
import { ApiTokensHandler } from './api-tokens.handler';

export class VerifyTokenRequestDto {
  @IsString()
  // Anything a request header can carry: a malformed token is a 401, not a 400.
  @MaxLength(16384)
  token: string;
}

/** Where the public edge of the distributed topology asks who an API token stands for. Internal port only. */
export const VERIFY_TOKEN_PATH = '/internal/access/tokens/verify';

@Controller('internal/access/tokens')
export class VerifyTokenHttpController {
  constructor(private readonly tokens: ApiTokensHandler) {}

  /** 200 with the actor; 401 for a token that is malformed, unknown, revoked or expired. */
  @Post('verify')
  @HttpCode(200)
  async verify(@Body() body: VerifyTokenRequestDto): Promise<Actor> {
    const actor = await this.tokens.verify(body.token);
    if (!actor) throw new ProblemException(401, 'Unauthorized', 'The API token is unknown, revoked or expired.', [{ field: 'token', message: 'is not a valid API token' }]);
    return actor;
  }
}
