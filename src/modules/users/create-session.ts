import type { Queryable } from '../../db/database.ts';
import { hashToken, newToken, type SessionKind } from './session.ts';

/** A new session's secrets: shown to the client once, never stored in the clear (except the CSRF token). */
export interface CreatedSession {
  token: string;
  tipo: SessionKind;
  csrfToken: string | null;
  expiraEn: Date;
}

/** Opens a session for a user that expires after `ttlHours`; cookie sessions get a CSRF token. */
export async function createSession(options: {
  db: Queryable;
  userId: number;
  tipo: SessionKind;
  ttlHours: number;
}): Promise<CreatedSession> {
  const token = newToken();
  const csrfToken = options.tipo === 'cookie' ? newToken() : null;
  const { rows } = await options.db.query<{ expira_en: Date }>(
    `INSERT INTO sesiones (token_hash, usuario_id, tipo, csrf_token, expira_en)
     VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))
     RETURNING expira_en`,
    [hashToken(token), options.userId, options.tipo, csrfToken, options.ttlHours],
  );
  return { token, tipo: options.tipo, csrfToken, expiraEn: (rows[0] as { expira_en: Date }).expira_en };
}
