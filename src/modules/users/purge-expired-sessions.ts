import type { Queryable } from '../../db/database.ts';

/** How long ended sessions and login attempts are kept (for audits of recent access). */
const KEEP_ENDED_SESSIONS = '7 days';
const KEEP_LOGIN_ATTEMPTS = '90 days';

/** Deletes sessions ended over a week ago and login attempts older than 90 days; returns the counts. */
export async function purgeExpiredSessions(options: {
  db: Queryable;
}): Promise<{ sesiones: number; intentosLogin: number }> {
  const sessions = await options.db.query(
    `DELETE FROM sesiones
      WHERE expira_en < now() - $1::interval OR revocada_en < now() - $1::interval`,
    [KEEP_ENDED_SESSIONS],
  );
  const attempts = await options.db.query('DELETE FROM intentos_login WHERE creado_en < now() - $1::interval', [
    KEEP_LOGIN_ATTEMPTS,
  ]);
  return { sesiones: sessions.affectedRows, intentosLogin: attempts.affectedRows };
}
