import type { Queryable } from '../../db/database.ts';
import { userColumns, type User } from './user.ts';

/** Every user, oldest first, without password hashes. */
export async function listUsers(options: { db: Queryable }): Promise<User[]> {
  const { rows } = await options.db.query<User>(`SELECT ${userColumns} FROM users ORDER BY id`);
  return rows;
}
