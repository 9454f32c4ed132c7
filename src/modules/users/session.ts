import { createHash, randomBytes } from 'node:crypto';
import type { User } from './user.ts';

/** How the client carries the token: an httpOnly cookie (browser, needs CSRF) or an Authorization header. */
export type SessionKind = 'cookie' | 'bearer';

/** A live session and its user. */
export interface Session {
  id: number;
  tipo: SessionKind;
  /** Only cookie sessions have one; non-GET requests must echo it in `X-CSRF-Token`. */
  csrfToken: string | null;
  expiraEn: Date;
  user: User;
}

/** A fresh random 32-byte token, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only this digest is stored, so a leaked `sesiones` table does not hand out live sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
