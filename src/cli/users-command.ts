import type { Command } from 'commander';
import { createUser } from '../modules/users/index.ts';
import { printResult, withDatabase } from './context.ts';

/** `users add`: creates a staff account (ADMIN or ANALISTA) with an argon2id password hash. */
export function registerUsersCommand(program: Command): void {
  const users = program.command('users').description('Gestión de usuarios');
  users
    .command('add')
    .description('Crea un usuario')
    .requiredOption('--email <email>', 'correo (será el usuario de acceso)')
    .requiredOption('--password <password>', 'contraseña (mínimo 8 caracteres)')
    .requiredOption('--rol <rol>', 'ADMIN o ANALISTA')
    .option('--nombre <nombre>', 'nombre', '')
    .option('--apellido <apellido>', 'apellido', '')
    .action(
      async (
        options: { email: string; password: string; rol: string; nombre: string; apellido: string },
        command: Command,
      ) => {
        await withDatabase(command, async ({ db, json }) => {
          const user = await createUser({ db, input: options });
          printResult(json, user, () => `Usuario ${user.email} creado con rol ${user.rol} (id ${user.id}).`);
        });
      },
    );
}
