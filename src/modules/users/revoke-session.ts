import type { Queryable } from '../../db/database.ts';

/** Revokes a session (logout); true when it was still live. */
export async function revokeSession(options: { db: Queryable; sessionId: number }): Promise<boolean> {
  const { affectedRows } = await options.db.query(
    'UPDATE sesiones SET revocada_en = now() WHERE id = $1 AND revocada_en IS NULL',
    [options.sessionId],
  );
  return affectedRows > 0;
}
