import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

/** How many failed logins are allowed within how many minutes (from `Config.login`). */
export interface LoginLimits {
  maxAttempts: number;
  windowMinutes: number;
}

// For the email and for the IP: once `maxAttempts` failures sit in the window, the lock lifts when the
// maxAttempts-th most recent one leaves it. A success resets the email's count (not the IP's, so one
// valid account cannot be used to reset an IP that is guessing other accounts).
const lockedUntilSql = `
  SELECT ceil(extract(epoch FROM max(libre_en) - now()))::integer AS segundos
  FROM (
    (SELECT creado_en + make_interval(mins => $4) AS libre_en FROM intentos_login
     WHERE email = $1 AND NOT exitoso AND creado_en > now() - make_interval(mins => $4)
       AND creado_en > coalesce((SELECT max(creado_en) FROM intentos_login WHERE email = $1 AND exitoso), '-infinity')
     ORDER BY creado_en DESC OFFSET $3 LIMIT 1)
    UNION ALL
    (SELECT creado_en + make_interval(mins => $4) FROM intentos_login
     WHERE ip = $2 AND NOT exitoso AND creado_en > now() - make_interval(mins => $4)
     ORDER BY creado_en DESC OFFSET $3 LIMIT 1)
  ) AS bloqueos`;

/** Throws RATE_LIMITED, saying when to retry, if the email or the IP has used up its failed attempts. */
export async function assertLoginAllowed(db: Queryable, attempt: { email: string; ip: string }, limits: LoginLimits) {
  const { rows } = await db.query<{ segundos: number | null }>(lockedUntilSql, [
    attempt.email,
    attempt.ip,
    limits.maxAttempts - 1,
    limits.windowMinutes,
  ]);
  const seconds = rows[0]?.segundos;
  if (seconds === null || seconds === undefined || seconds <= 0) return;
  const minutes = Math.ceil(seconds / 60);
  throw new AppError(
    'RATE_LIMITED',
    `Demasiados intentos fallidos de inicio de sesión. Intente de nuevo en ${minutes} ${minutes === 1 ? 'minuto' : 'minutos'}.`,
    { details: { retryAfterSeconds: seconds } },
  );
}

/** Records one login attempt, successful or not (the audit trail and the rate limit's input). */
export async function recordLoginAttempt(db: Queryable, attempt: { email: string; ip: string; succeeded: boolean }) {
  await db.query('INSERT INTO intentos_login (email, ip, exitoso) VALUES ($1, $2, $3)', [
    attempt.email,
    attempt.ip,
    attempt.succeeded,
  ]);
}
