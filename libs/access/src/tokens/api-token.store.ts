import type { Actor, Role } from '@fleetjobs/contracts';
import { queryRows, SqlExecutor } from '@fleetjobs/persistence-pg';
import { ACCESS_SCHEMA } from './access.schema';

/** One stored API token: everything but its secret, of which only the hash is kept. */
export interface StoredApiToken {
  id: string;
  name: string;
  role: Role;
  secretHash: string;
  createdAt: Date;
  createdBy: Actor | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: Actor | null;
}

interface Row {
  id: string;
  name: string;
  role: Role;
  secret_hash: string;
  created_at: Date;
  created_by: Actor | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_by: Actor | null;
}

const TABLE = `${ACCESS_SCHEMA}.api_tokens`;
const COLUMNS = 'id, name, role, secret_hash, created_at, created_by, expires_at, revoked_at, revoked_by';

const toToken = (row: Row): StoredApiToken => ({
  id: row.id,
  name: row.name,
  role: row.role,
  secretHash: row.secret_hash,
  createdAt: new Date(row.created_at),
  createdBy: row.created_by,
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  revokedBy: row.revoked_by,
});

/** The SQL of `access.api_tokens`; every write runs inside the caller's unit of work. */
export const apiTokenStore = {
  async insert(tx: SqlExecutor, token: StoredApiToken): Promise<void> {
    await tx.query(
      `INSERT INTO ${TABLE} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9::jsonb)`,
      [token.id, token.name, token.role, token.secretHash, token.createdAt, json(token.createdBy), token.expiresAt, token.revokedAt, json(token.revokedBy)],
    );
  },

  async find(db: SqlExecutor, id: string, forUpdate = false): Promise<StoredApiToken | null> {
    const rows: Row[] = await db.query(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toToken(rows[0]) : null;
  },

  async revoke(tx: SqlExecutor, id: string, at: Date, by: Actor | null): Promise<void> {
    await tx.query(`UPDATE ${TABLE} SET revoked_at = $2, revoked_by = $3::jsonb WHERE id = $1`, [id, at, json(by)]);
  },

  /**
   * Stores the bootstrap token unless it is stored with this very hash already; `true` when it
   * wrote (first start, or another secret than before, which also lifts an earlier revoke).
   * One statement, so replicas starting together store it once.
   */
  async putBootstrap(tx: SqlExecutor, token: StoredApiToken): Promise<boolean> {
    const rows = await queryRows<{ id: string }>(
      tx,
      `INSERT INTO ${TABLE} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, NULL, NULL, NULL, NULL)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, secret_hash = EXCLUDED.secret_hash,
         created_at = EXCLUDED.created_at, created_by = NULL, expires_at = NULL, revoked_at = NULL, revoked_by = NULL
       WHERE ${TABLE}.secret_hash <> EXCLUDED.secret_hash
       RETURNING id`,
      [token.id, token.name, token.role, token.secretHash, token.createdAt],
    );
    return rows.length > 0;
  },

  /** Newest first; `after` is the (createdAt, id) of the previous page's last token. */
  async page(db: SqlExecutor, after: { createdAt: Date; id: string } | null, limit: number): Promise<StoredApiToken[]> {
    const rows: Row[] = after
      ? await db.query(
          `SELECT ${COLUMNS} FROM ${TABLE} WHERE (created_at, id) < ($1::timestamptz, $2) ORDER BY created_at DESC, id DESC LIMIT $3`,
          [after.createdAt, after.id, limit],
        )
      : await db.query(`SELECT ${COLUMNS} FROM ${TABLE} ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(toToken);
  },
};

function json(actor: Actor | null): string | null {
  return actor === null ? null : JSON.stringify(actor);
}
