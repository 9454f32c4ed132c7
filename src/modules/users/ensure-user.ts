import type { Queryable } from '../../db/database.ts';
import { isAppError } from '../../errors.ts';
import { createUser, createUserInput } from './create-user.ts';
import { parseInput } from '../../validation.ts';
import { userColumns, type User } from './user.ts';

async function findUser(db: Queryable, email: string): Promise<User | undefined> {
  const { rows } = await db.query<User>(`SELECT ${userColumns} FROM users WHERE email = $1`, [email]);
  return rows[0];
}

/** Creates the user unless one with that email exists (the seed's demo users); says which happened. */
export async function ensureUser(options: {
  db: Queryable;
  input: unknown;
}): Promise<{ user: User; created: boolean }> {
  const { db } = options;
  const { email } = parseInput(createUserInput, options.input);
  const existing = await findUser(db, email);
  if (existing) return { user: existing, created: false };
  try {
    return { user: await createUser(options), created: true };
  } catch (error) {
    // Another process may have created it between the lookup and the insert.
    const raced = isAppError(error) && error.code === 'CONFLICT' ? await findUser(db, email) : undefined;
    if (raced) return { user: raced, created: false };
    throw error;
  }
}
