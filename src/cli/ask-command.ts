import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import {
  answerQuestion,
  evaluateQuestions,
  formatValue,
  type ChatAnswer,
  type EvaluationItem,
  type EvaluationReport,
  type Viewer,
} from '../modules/chat/index.ts';
import { listUsers } from '../modules/users/index.ts';
import { type CommandContext, depsFor, printResult, withDatabase } from './context.ts';

const questionLine = z.object({ pregunta: z.string().trim().min(1, 'la pregunta está vacía') });
const evaluationLine = z.object({
  id: z.string().optional(),
  pregunta: z.string().trim().min(1, 'la pregunta está vacía'),
  sql_esperado: z.string().trim().min(1, 'falta sql_esperado'),
  familia: z.string().optional(),
  columnas_etiqueta: z.array(z.string()).optional(),
});

async function viewerFor(context: CommandContext, email: string | undefined): Promise<Viewer | undefined> {
  if (!email) return undefined;
  const user = (await listUsers({ db: context.db })).find(
    (candidate) => candidate.email === email.trim().toLowerCase(),
  );
  if (!user) throw new AppError('NOT_FOUND', `No existe el usuario ${email}.`);
  return { id: user.id, rol: user.rol };
}

/** The line `ask --file --json` prints per question. */
function answerLine(answer: ChatAnswer) {
  return {
    pregunta: answer.pregunta,
    respuesta: answer.respuesta,
    ruta: answer.ruta,
    sql: answer.sql,
    columnas: answer.columnas,
    filas: answer.filas,
    documentos: answer.documentos,
    conversacion_id: answer.conversacion_id,
    hilo_id: answer.hilo_id,
    modelo_usado: answer.modelo_usado,
    tiempo_respuesta_ms: answer.tiempo_respuesta_ms,
  };
}

function table(columns: string[], rows: unknown[][], limit = 20): string {
  if (columns.length === 0 || rows.length === 0) return '';
  const cells = [columns, ...rows.slice(0, limit).map((row) => row.map((cell) => formatValue(cell)))];
  const widths = columns.map((_, index) =>
    Math.min(40, Math.max(...cells.map((row) => String(row[index] ?? '').length))),
  );
  const line = (row: unknown[]) =>
    row
      .map((cell, index) =>
        String(cell ?? '')
          .slice(0, 40)
          .padEnd(widths[index] ?? 0),
      )
      .join(' | ');
  const more = rows.length > limit ? `\n… ${rows.length - limit} filas más` : '';
  return `${line(cells[0] ?? [])}\n${widths.map((width) => '-'.repeat(width)).join('-+-')}\n${cells.slice(1).map(line).join('\n')}${more}`;
}

function describeAnswer(answer: ChatAnswer): string {
  const parts = [answer.respuesta];
  const rows = table(answer.columnas, answer.filas);
  if (rows && answer.filas.length > 1) parts.push(rows);
  if (answer.sql)
    parts.push(
      `SQL:\n${answer.sql}${answer.parametros.length ? `\n-- parámetros: ${JSON.stringify(answer.parametros)}` : ''}`,
    );
  parts.push(
    `[ruta: ${answer.ruta} · modelo: ${answer.modelo_usado} · ${answer.tiempo_respuesta_ms} ms · conversación #${answer.conversacion_id} · hilo ${answer.hilo_id}]`,
  );
  return parts.join('\n\n');
}

function describeReport(report: EvaluationReport): string {
  const families = Object.entries(report.por_familia)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([family, figures]) => `  ${family.padEnd(12)} ${figures.correctas}/${figures.total} (${figures.exactitud} %)`,
    );
  const failures = report.fallos.map(
    (failure) =>
      `  ${failure.id} [${failure.familia}] ${failure.pregunta}\n      ${failure.motivo ?? ''}${failure.sql ? `\n      SQL: ${failure.sql.replace(/\s+/g, ' ')}` : ''}`,
  );
  return [
    `Exactitud: ${report.correctas}/${report.total} (${report.exactitud} %)`,
    'Por familia:',
    ...families,
    report.fallos.length > 0 ? `Fallos (${report.fallos.length}):` : 'Sin fallos.',
    ...failures,
  ].join('\n');
}

async function* jsonLines<T>(file: string, schema: z.ZodType<T>): AsyncGenerator<T> {
  const input = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    input.once('ready', () => resolve());
    input.once('error', reject);
  }).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('NOT_FOUND', `No se pudo abrir el archivo ${file} (${error.code ?? error.message}).`, {
      cause: error,
    });
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new AppError('INVALID_INPUT', `${file}, línea ${number}: no es JSON válido.`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new AppError(
        'INVALID_INPUT',
        `${file}, línea ${number}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'línea'} ${issue.message}`).join('; ')}.`,
      );
    }
    yield parsed.data;
  }
}

/** `ask` (one question or a JSONL file of them) and `eval` (accuracy against expected SQL). */
export function registerAskCommands(program: Command): void {
  program
    .command('ask')
    .description('Pregunta al asistente (base de datos y documentos); cada respuesta queda guardada')
    .argument('[pregunta]', 'la pregunta en español')
    .option('--hilo <id>', 'continúa el hilo de una conversación anterior')
    .option('--usuario <email>', 'usuario que pregunta (sus conversaciones)')
    .option('--file <archivo>', 'archivo JSONL con una línea {"pregunta": ...} por pregunta')
    .action(
      async (
        pregunta: string | undefined,
        options: { hilo?: string; usuario?: string; file?: string },
        command: Command,
      ) => {
        await withDatabase(command, async (context) => {
          const deps = await depsFor(context);
          const usuario = await viewerFor(context, options.usuario);
          const hiloId = options.hilo === undefined ? undefined : Number(options.hilo);
          if (hiloId !== undefined && (!Number.isInteger(hiloId) || hiloId < 1)) {
            throw new AppError(
              'INVALID_INPUT',
              `--hilo debe ser un número entero positivo (recibido «${options.hilo}»).`,
            );
          }
          if (options.file) {
            // The whole file is checked first: a bad line must not leave the lines before it answered and stored.
            const lines: { pregunta: string }[] = [];
            for await (const line of jsonLines(options.file, questionLine)) lines.push(line);
            for (const line of lines) {
              const answer = await answerQuestion(deps, { pregunta: line.pregunta, usuario, hiloId });
              printResult(context.json, answerLine(answer), () => `> ${answer.pregunta}\n${describeAnswer(answer)}\n`);
            }
            return;
          }
          if (!pregunta)
            throw new AppError('INVALID_INPUT', 'Escriba la pregunta entre comillas o use --file preguntas.jsonl.');
          const answer = await answerQuestion(deps, { pregunta, usuario, hiloId });
          printResult(context.json, answerLine(answer), () => describeAnswer(answer));
        });
      },
    );

  program
    .command('eval')
    .description('Mide la exactitud del asistente contra consultas esperadas (líneas {pregunta, sql_esperado})')
    .argument('<archivo>', 'archivo JSONL de evaluación')
    .option('--usuario <email>', 'usuario a cuyo nombre quedan las conversaciones')
    .action(async (file: string, options: { usuario?: string }, command: Command) => {
      await withDatabase(command, async (context) => {
        const items: EvaluationItem[] = [];
        for await (const item of jsonLines(file, evaluationLine)) items.push(item);
        const deps = await depsFor(context);
        const report = await evaluateQuestions(deps, items, { usuario: await viewerFor(context, options.usuario) });
        printResult(context.json, { ...report, resultados: undefined }, () => describeReport(report));
      });
    });
}
