import type { Command } from 'commander';
import { migrate } from '../db/migrate.ts';
import { printResult, withDatabase } from './context.ts';

/** `migrate`: applies pending migrations and says which. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Aplica las migraciones pendientes de la base de datos')
    .action(async (_options, command: Command) => {
      await withDatabase(
        command,
        async ({ db, json }) => {
          const started = performance.now();
          const report = await migrate(db);
          const ms = Math.round(performance.now() - started);
          printResult(json, { ...report, ms }, () =>
            [
              report.applied.length === 0
                ? `La base de datos ya estaba al día (${report.alreadyApplied} migraciones aplicadas).`
                : `Migraciones aplicadas: ${report.applied.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}${m.variant ? ` (${m.variant})` : ''}`).join(', ')}.`,
              `Búsqueda vectorial: ${report.embeddingsBackend}. Tiempo: ${ms} ms.`,
            ].join('\n'),
          );
        },
        { migrate: false },
      );
    });
}
