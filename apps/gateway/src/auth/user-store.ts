// Reads one account from the users table (packages/read-models) for login.
import type pg from 'pg';
import type { Role } from './principal.js';

export interface StoredUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly scopeCommuneId: string | null;
  readonly scopePollingAreaId: string | null;
}

export class UserStore {
  constructor(private readonly pool: pg.Pool) {}

  async find(username: string): Promise<StoredUser | undefined> {
    const { rows } = await this.pool.query<{
      username: string;
      password_hash: string;
      role: Role;
      scope_commune_id: string | null;
      scope_polling_area_id: string | null;
    }>(
      'SELECT username, password_hash, role, scope_commune_id, scope_polling_area_id FROM users WHERE username = $1',
      [username],
    );
    const row = rows[0];
    return row === undefined
      ? undefined
      : {
          username: row.username,
          passwordHash: row.password_hash,
          role: row.role,
          scopeCommuneId: row.scope_commune_id,
          scopePollingAreaId: row.scope_polling_area_id,
        };
  }
}
