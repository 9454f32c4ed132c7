import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { assertLoginAllowed, recordLoginAttempt, type LoginLimits } from './login-attempts.ts';
import { verifyDecoyPassword, verifyPassword } from './password.ts';
import { normalizeEmail, userColumns, type User } from './user.ts';

// One message for a wrong password and an unknown email, so neither reveals which emails exist.
const wrongCredentialsMessage = 'Correo o contraseña incorrectos.';

// Longer input is never a real credential and would only make hashing expensive.
const maxEmailLength = 320;
const maxPasswordLength = 1024;

type StoredUser = User & { password_hash: string };

async function checkPassword(db: Queryable, email: string, password: string): Promise<StoredUser | undefined> {
  const { rows } = await db.query<StoredUser>(`SELECT ${userColumns}, password_hash FROM users WHERE email = $1`, [
    email,
  ]);
  const user = rows[0];
  if (!user) {
    await verifyDecoyPassword(password);
    return undefined;
  }
  return (await verifyPassword(user.password_hash, password)) ? user : undefined;
}

/**
 * Logs a user in: refuses while the email or IP is rate limited, records every attempt,
 * and stamps `ultimo_acceso` on success. Wrong credentials and inactive users get UNAUTHENTICATED.
 */
export async function authenticateUser(options: {
  db: Queryable;
  email: string;
  password: string;
  ip: string;
  limits: LoginLimits;
}): Promise<User> {
  const { db, ip, limits } = options;
  const email = normalizeEmail(options.email).slice(0, maxEmailLength);
  try {
    await assertLoginAllowed(db, { email, ip }, limits);
  } catch (error) {
    await recordLoginAttempt(db, { email, ip, succeeded: false });
    throw error;
  }
  const tooLong = options.password.length > maxPasswordLength;
  const user = tooLong ? undefined : await checkPassword(db, email, options.password);
  await recordLoginAttempt(db, { email, ip, succeeded: Boolean(user?.activo) });
  if (!user) throw new AppError('UNAUTHENTICATED', wrongCredentialsMessage);
  if (!user.activo) {
    throw new AppError('UNAUTHENTICATED', 'Su usuario está desactivado. Consulte con un administrador.');
  }
  const { rows } = await db.query<User>(
    `UPDATE users SET ultimo_acceso = now() WHERE id = $1 RETURNING ${userColumns}`,
    [user.id],
  );
  return rows[0] as User;
}
