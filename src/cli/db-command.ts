import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadScript } from '../db/load-script.ts';
import { AppError } from '../errors.ts';
import { printResult, withDatabase } from './context.ts';

/** `db load <archivo.sql>`: runs a SQL script as one transaction (fixtures, evaluation books, restores). */
export function registerDbCommand(program: Command): void {
  const db = program.command('db').description('Operaciones de administración de la base de datos');
  db.command('load')
    .description('Ejecuta un script SQL en una sola transacción: se aplica entero o no se aplica nada')
    .argument('<archivo>', 'script .sql')
    .action(async (archivo: string, _options, command: Command) => {
      const script = await readFile(archivo, 'utf8').catch((error: unknown) => {
        throw new AppError('NOT_FOUND', `No se puede leer el archivo ${archivo}.`, { cause: error });
      });
      await withDatabase(command, async ({ db: database, json }) => {
        const started = performance.now();
        const report = await loadScript(database, script);
        const ms = Math.round(performance.now() - started);
        printResult(
          json,
          { ...report, ms },
          () =>
            `Script aplicado: ${report.sentencias} sentencias, ${report.filasAfectadas} filas escritas en ${ms} ms.`,
        );
      });
    });
}
