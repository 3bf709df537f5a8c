import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Actor, makeEnvelope, Role, TokenCreated, TokenRevoked, TOPICS } from '@fleetjobs/contracts';
import type { UnitOfWork } from '@fleetjobs/persistence-pg';
import { DATA_SOURCE } from '@fleetjobs/runtime';
import { DataSource } from 'typeorm';
import { AccessConfig, BOOTSTRAP_TOKEN_ID } from '../config/access-config';
import { ACCESS_SOURCE } from './access.schema';
import { ACCESS_CLOCK, ACCESS_CONFIG, ACCESS_UNIT_OF_WORK } from './access.tokens';
import { hashSecret, mintApiToken, parseApiToken, secretMatches } from './api-token';
import { apiTokenStore, StoredApiToken } from './api-token.store';
import { tokenIsLive } from './token-expiry';

export interface NewApiToken {
  name: string;
  role: Role;
  expiresAt: Date;
}

export const BOOTSTRAP_TOKEN_NAME = 'bootstrap administrator (FLEETJOBS_ADMIN_TOKEN)';

/**
 * The API tokens' one owner: creates (the secret shown once, its hash stored), revokes, verifies
 * and stores the bootstrap token, each change with its event in the same transaction.
 */
@Injectable()
export class ApiTokensHandler implements OnApplicationBootstrap {
  constructor(
    @Inject(ACCESS_UNIT_OF_WORK) private readonly unitOfWork: UnitOfWork,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ACCESS_CONFIG) private readonly config: AccessConfig,
    @Inject(ACCESS_CLOCK) private readonly clock: () => Date,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminToken) await this.storeBootstrap(this.config.adminToken);
  }

  /** The stored token and the whole token `fjt_<id>_<secret>`, which nobody sees again. */
  async create(request: NewApiToken, actor: Actor | undefined): Promise<{ stored: StoredApiToken; token: string }> {
    const { id, secretHash, token } = mintApiToken();
    const stored: StoredApiToken = {
      id,
      name: request.name,
      role: request.role,
      secretHash,
      createdAt: this.clock(),
      createdBy: actor ?? null,
      expiresAt: request.expiresAt,
      revokedAt: null,
      revokedBy: null,
    };
    await this.unitOfWork.run(async (tx) => {
      await apiTokenStore.insert(tx.manager, stored);
      await tx.publish(TOPICS.access, [this.created(stored, actor)]);
    });
    return { stored, token };
  }

  /** `not-found`, or `revoked` (also when it was revoked before: no second event). */
  async revoke(id: string, actor: Actor | undefined): Promise<'revoked' | 'not-found'> {
    return this.unitOfWork.run(async (tx) => {
      const token = await apiTokenStore.find(tx.manager, id, true);
      if (!token) return 'not-found';
      if (token.revokedAt !== null) return 'revoked';
      const now = this.clock();
      await apiTokenStore.revoke(tx.manager, id, now, actor ?? null);
      const revoked: TokenRevoked = makeEnvelope({
        type: 'TokenRevoked',
        version: 1,
        source: ACCESS_SOURCE,
        subject: id,
        data: { tokenId: id },
        actor,
        now,
      });
      await tx.publish(TOPICS.access, [revoked]);
      return 'revoked';
    });
  }

  /** Who a presented token stands for; `null` when it is malformed, unknown, wrong, revoked or expired. */
  async verify(credential: string): Promise<Actor | null> {
    const parsed = parseApiToken(credential);
    if (!parsed) return null;
    const token = await apiTokenStore.find(this.dataSource, parsed.id);
    if (!token || !secretMatches(parsed.secret, token.secretHash) || !tokenIsLive(token, this.clock())) return null;
    return { id: `token:${token.id}`, name: token.name, role: token.role };
  }

  page(after: { createdAt: Date; id: string } | null, limit: number): Promise<StoredApiToken[]> {
    return apiTokenStore.page(this.dataSource, after, limit);
  }

  /** Stores `FLEETJOBS_ADMIN_TOKEN` as the token `bootstrap`; nothing when it is stored already. */
  async storeBootstrap(credential: string): Promise<boolean> {
    const parsed = parseApiToken(credential);
    if (!parsed || parsed.id !== BOOTSTRAP_TOKEN_ID) throw new Error('FLEETJOBS_ADMIN_TOKEN must look like fjt_bootstrap_<secret>');
    const stored: StoredApiToken = {
      id: BOOTSTRAP_TOKEN_ID,
      name: BOOTSTRAP_TOKEN_NAME,
      role: 'administrator',
      secretHash: hashSecret(parsed.secret),
      createdAt: this.clock(),
      createdBy: null,
      expiresAt: null,
      revokedAt: null,
      revokedBy: null,
    };
    return this.unitOfWork.run(async (tx) => {
      const wrote = await apiTokenStore.putBootstrap(tx.manager, stored);
      if (wrote) await tx.publish(TOPICS.access, [this.created(stored, undefined)]);
      return wrote;
    });
  }

  private created(token: StoredApiToken, actor: Actor | undefined): TokenCreated {
    return makeEnvelope({
      type: 'TokenCreated',
      version: 1,
      source: ACCESS_SOURCE,
      subject: token.id,
      data: { tokenId: token.id, name: token.name, role: token.role, expiresAt: token.expiresAt?.toISOString() ?? null },
      actor,
      now: token.createdAt,
    });
  }
}
