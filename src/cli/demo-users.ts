import type { Database } from '../db/database.ts';
import { ensureUser } from '../modules/users/index.ts';

/** The demo accounts; their passwords are public on purpose (printed, and in the README). */
export const DEMO_USERS = [
  { email: 'admin@rapicredit.com', password: 'RapiAdmin-2026', rol: 'ADMIN', nombre: 'Adriana', apellido: 'Mendoza' },
  {
    email: 'analista@rapicredit.com',
    password: 'RapiAnalista-2026',
    rol: 'ANALISTA',
    nombre: 'Luis',
    apellido: 'Rondón',
  },
] as const;

export interface DemoUserStatus {
  email: string;
  rol: string;
  /** The demo password, or null once it no longer opens the account. */
  password: string | null;
  creado: boolean;
}

/** Creates the demo ADMIN and ANALISTA users when their emails are not taken yet. */
export async function ensureDemoUsers(db: Database): Promise<DemoUserStatus[]> {
  const statuses: DemoUserStatus[] = [];
  for (const user of DEMO_USERS) {
    const result = await ensureUser({ db, input: user });
    statuses.push({
      email: user.email,
      rol: user.rol,
      password: result.passwordMatches ? user.password : null,
      creado: result.created,
    });
  }
  return statuses;
}

/** Spanish lines listing the demo credentials. */
export function describeDemoUsers(users: DemoUserStatus[]): string {
  return [
    'Usuarios de demostración (cambie estas contraseñas en una instalación real):',
    ...users.map(
      (user) => `  ${user.rol.padEnd(8)} ${user.email} / ${user.password}${user.creado ? '' : ' (ya existía)'}`,
    ),
  ].join('\n');
}
