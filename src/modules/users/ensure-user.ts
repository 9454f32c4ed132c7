import type { Queryable } from '../../db/database.ts';
import { isAppError } from '../../errors.ts';
import { createUser, createUserInput } from './create-user.ts';
import { parseInput } from '../../validation.ts';
import { verifyPassword } from './password.ts';
import { userColumns, type User } from './user.ts';

async function findUser(db: Queryable, email: string): Promise<(User & { password_hash: string }) | undefined> {
  const { rows } = await db.query<User & { password_hash: string }>(
    `SELECT ${userColumns}, password_hash FROM users WHERE email = $1`,
    [email],
  );
  return rows[0];
}

async function existingResult(found: User & { password_hash: string }, password: string) {
  const { password_hash: passwordHash, ...user } = found;
  return { user, created: false, passwordMatches: await verifyPassword(passwordHash, password) };
}

/**
 * Creates the user unless one with that email exists (the seed's demo users); says which happened
 * and whether the given password still opens the account (so demo credentials are never shown
 * once someone changed them).
 */
export async function ensureUser(options: {
  db: Queryable;
  input: unknown;
}): Promise<{ user: User; created: boolean; passwordMatches: boolean }> {
  const { db } = options;
  const { email, password } = parseInput(createUserInput, options.input);
  const existing = await findUser(db, email);
  if (existing) return existingResult(existing, password);
  try {
    return { user: await createUser(options), created: true, passwordMatches: true };
  } catch (error) {
    // Another process may have created it between the lookup and the insert.
    const raced = isAppError(error) && error.code === 'CONFLICT' ? await findUser(db, email) : undefined;
    if (raced) return existingResult(raced, password);
    throw error;
  }
}
