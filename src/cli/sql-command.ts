import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { readOnlyQuery, type Table } from '../db/read-only-query.ts';
import { AppError } from '../errors.ts';
import { withDatabase } from './context.ts';

const lineSchema = z.object({ sql: z.string().min(1) });

function formatTable(table: Table): string {
  const header = table.columnas.join(' | ');
  const rows = table.filas.map((row) =>
    row
      .map((cell) => (cell === null ? 'NULL' : typeof cell === 'object' ? JSON.stringify(cell) : String(cell)))
      .join(' | '),
  );
  return [header, '-'.repeat(Math.min(header.length, 120)), ...rows, `(${table.filas.length} filas)`].join('\n');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `sql`: read-only SQL for administrators and evaluation, one statement or a JSONL file of them. */
export function registerSqlCommand(program: Command): void {
  program
    .command('sql')
    .description('Ejecuta consultas de solo lectura (una sentencia, o un archivo JSONL con --file)')
    .argument('[consulta]', 'sentencia SELECT')
    .option('--file <archivo>', 'archivo JSONL con líneas {"sql": "..."}')
    .action(async (consulta: string | undefined, options: { file?: string }, command: Command) => {
      if (!consulta && !options.file) {
        throw new AppError('INVALID_INPUT', 'Indique una consulta entre comillas o un archivo con --file.');
      }
      await withDatabase(
        command,
        async ({ db, json }) => {
          if (consulta) {
            const table = await readOnlyQuery(db, consulta);
            console.log(json ? JSON.stringify(table) : formatTable(table));
            return;
          }
          const lines = createInterface({ input: createReadStream(options.file ?? ''), crlfDelay: Infinity });
          let number = 0;
          for await (const line of lines) {
            number += 1;
            if (line.trim() === '') continue;
            let output: object;
            try {
              const parsed = lineSchema.safeParse(JSON.parse(line));
              if (!parsed.success) throw new Error(`la línea ${number} no tiene un campo "sql" de texto`);
              output = await readOnlyQuery(db, parsed.data.sql);
            } catch (error) {
              output = { error: errorMessage(error) };
            }
            console.log(
              json
                ? JSON.stringify(output)
                : 'error' in output
                  ? `Error: ${String(output.error)}`
                  : formatTable(output as Table),
            );
          }
        },
        { migrate: false },
      );
    });
}
