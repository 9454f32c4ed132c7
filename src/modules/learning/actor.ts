import { userInfo } from 'node:os';
import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { normalizeEmail } from '../users/index.ts';

/** Who makes a change: a signed-in user, or an operator at the command line. */
export interface Actor {
  /** `users.id`; null for an operator without an account (`cli:<login>`). */
  id: number | null;
  email: string;
  rol: 'ADMIN' | 'ANALISTA';
}

/** The actor of an API request. */
export const actorOf = (user: { id: number; email: string; rol: 'ADMIN' | 'ANALISTA' }): Actor => ({
  id: user.id,
  email: user.email,
  rol: user.rol,
});

/**
 * The actor of a CLI command: the account named by `--usuario` (it must exist and be active), or the
 * operator's login as `cli:<login>` with administrator rights (whoever runs the CLI owns the database).
 */
export async function cliActor(db: Queryable, email: string | undefined): Promise<Actor> {
  if (email === undefined) {
    let login = 'operador';
    try {
      login = userInfo().username || login;
    } catch {
      // No passwd entry (some containers): keep the generic name.
    }
    return { id: null, email: `cli:${login}`, rol: 'ADMIN' };
  }
  const { rows } = await db.query<{ id: number; email: string; rol: 'ADMIN' | 'ANALISTA' }>(
    'SELECT id, email, rol FROM users WHERE email = $1 AND activo',
    [normalizeEmail(email)],
  );
  const user = rows[0];
  if (!user) throw new AppError('NOT_FOUND', `No existe un usuario activo con el correo ${email}.`);
  return user;
}

/** Stops anyone but an administrator (the API checks roles too; this guards the CLI `--usuario`). */
export function requireAdmin(actor: Actor): void {
  if (actor.rol !== 'ADMIN') {
    throw new AppError('FORBIDDEN', 'Solo un administrador puede cambiar lo que el asistente sabe.');
  }
}
