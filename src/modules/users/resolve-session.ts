import type { Queryable } from '../../db/database.ts';
import type { User } from './user.ts';
import { hashToken, type Session, type SessionKind } from './session.ts';

interface SessionRow extends User {
  sesion_id: number;
  tipo: SessionKind;
  csrf_token: string | null;
  expira_en: Date;
}

/**
 * The live session behind a token of the given kind, or undefined when the token is unknown,
 * of the other kind, expired, revoked, or its user was deactivated.
 */
export async function resolveSession(options: {
  db: Queryable;
  token: string;
  tipo: SessionKind;
}): Promise<Session | undefined> {
  const { rows } = await options.db.query<SessionRow>(
    `SELECT s.id AS sesion_id, s.tipo, s.csrf_token, s.expira_en,
            u.id, u.email, u.nombre, u.apellido, u.rol, u.activo, u.creado_en, u.ultimo_acceso
     FROM sesiones s JOIN users u ON u.id = s.usuario_id
     WHERE s.token_hash = $1 AND s.tipo = $2 AND s.revocada_en IS NULL AND s.expira_en > now() AND u.activo`,
    [hashToken(options.token), options.tipo],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { sesion_id, tipo, csrf_token, expira_en, ...user } = row;
  return { id: sesion_id, tipo, csrfToken: csrf_token, expiraEn: expira_en, user };
}
