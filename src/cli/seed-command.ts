import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { seedLoanBook } from '../modules/loans/index.ts';
import { ensureDemoUsers, describeDemoUsers } from './demo-users.ts';
import { printResult, withDatabase } from './context.ts';

const optionsSchema = z.object({
  clientes: z.coerce.number().int().min(1).max(200_000),
  semilla: z.string().min(1),
  reset: z.boolean().default(false),
});

/** `seed`: writes the deterministic demo loan book and the demo users. */
export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('Genera la cartera de demostración (determinista según la semilla) y los usuarios de demostración')
    .option('--clientes <n>', 'número de clientes (1 a 200000)', '1000')
    .option('--semilla <s>', 'semilla del generador', 'rapicredit-demo')
    .option('--reset', 'reemplaza la cartera existente (las conversaciones se conservan)')
    .action(async (rawOptions: unknown, command: Command) => {
      const parsed = optionsSchema.safeParse(rawOptions);
      if (!parsed.success) {
        throw new AppError('INVALID_INPUT', '--clientes debe ser un número entero entre 1 y 200000.');
      }
      const options = parsed.data;
      await withDatabase(command, async ({ db, json }) => {
        const report = await seedLoanBook({
          db,
          clientes: options.clientes,
          semilla: options.semilla,
          reset: options.reset,
        });
        const users = await ensureDemoUsers(db);
        printResult(json, { ...report, usuarios: users }, () =>
          [
            `Cartera de demostración generada (semilla «${report.semilla}», hoy ${report.hoy}):`,
            ...Object.entries(report.filas).map(([tabla, filas]) => `  ${tabla}: ${filas}`),
            `Tiempo: generación ${Math.round(report.generacionMs)} ms, escritura ${Math.round(report.escrituraMs)} ms.`,
            describeDemoUsers(users),
          ].join('\n'),
        );
      });
    });
}
