import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import type { Actor } from '@fleetjobs/contracts';
import { decodeCursor, IdPipe, NotFoundProblem, Page, parseLimit, RequestActor, toPage, ValidationProblem } from '@fleetjobs/http-kit';
import { ACCESS_CLOCK } from './access.tokens';
import { ApiTokensHandler } from './api-tokens.handler';
import type { StoredApiToken } from './api-token.store';
import { CreateTokenRequestDto } from './create-token.request.dto';
import { tokenExpiry } from './token-expiry';

/** A token as the API shows it: never its secret nor its hash. */
export interface ApiTokenRepresentation {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  createdBy: { id: string; name: string } | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const represent = (token: StoredApiToken): ApiTokenRepresentation => ({
  id: token.id,
  name: token.name,
  role: token.role,
  createdAt: token.createdAt.toISOString(),
  createdBy: token.createdBy ? { id: token.createdBy.id, name: token.createdBy.name } : null,
  expiresAt: token.expiresAt?.toISOString() ?? null,
  revokedAt: token.revokedAt?.toISOString() ?? null,
});

/** Administrators' API tokens (the public edge lets only administrators through). */
@Controller('api/tokens')
export class TokensHttpController {
  constructor(
    private readonly tokens: ApiTokensHandler,
    @Inject(ACCESS_CLOCK) private readonly clock: () => Date,
  ) {}

  @Post()
  async create(@Body() body: CreateTokenRequestDto, @RequestActor() actor: Actor | undefined): Promise<ApiTokenRepresentation & { token: string }> {
    const expiry = tokenExpiry(body.expiresAt, this.clock());
    if ('error' in expiry) throw new ValidationProblem([{ field: 'expiresAt', message: expiry.error }]);
    const { stored, token } = await this.tokens.create({ name: body.name, role: body.role, expiresAt: expiry.expiresAt }, actor);
    return { ...represent(stored), token };
  }

  @Get()
  async list(@Query('limit') rawLimit?: string, @Query('cursor') rawCursor?: string): Promise<Page<ApiTokenRepresentation>> {
    const limit = parseLimit(rawLimit);
    const rows = await this.tokens.page(afterCursor(rawCursor), limit + 1);
    return toPage(rows, limit, represent, (row) => [row.createdAt.toISOString(), row.id]);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id', IdPipe) id: string, @RequestActor() actor: Actor | undefined): Promise<void> {
    if ((await this.tokens.revoke(id, actor)) === 'not-found') throw new NotFoundProblem('API token', id);
  }
}

/** The (createdAt, id) a cursor of this list holds; 400 naming `cursor` for anything else. */
function afterCursor(raw: string | undefined): { createdAt: Date; id: string } | null {
  const position = decodeCursor(raw, 2);
  if (!position) return null;
  const [createdAt, id] = position;
  const time = typeof createdAt === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(createdAt) ? new Date(createdAt) : null;
  if (!time || Number.isNaN(time.getTime()) || typeof id !== 'string') {
    throw new ValidationProblem([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return { createdAt: time, id };
}
