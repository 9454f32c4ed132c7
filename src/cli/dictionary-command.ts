import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Queryable } from '../db/database.ts';
import { AppError, isAppError } from '../errors.ts';
import {
  addDictionarySynonym,
  cliActor,
  createDictionaryEntry,
  exportDictionary,
  findBySynonym,
  findDictionaryEntry,
  importDictionary,
  improveEntry,
  listDictionary,
  removeDictionaryEntry,
  updateDictionaryEntry,
  type DictionaryRecord,
  type Improvement,
} from '../modules/learning/index.ts';
import { chatProviderFromConfig } from '../modules/llm/index.ts';
import { printResult, withDatabase } from './context.ts';
import { ratingId, splitList, yesNo } from './options.ts';

interface EntryOptions {
  palabra?: string;
  definicion?: string;
  categoria?: string;
  tabla?: string;
  campo?: string;
  valor?: string;
  condicion?: string;
  expresion?: string;
  sinonimos?: string;
  ejemplos?: string;
  activo?: string;
  calificacion?: string;
  usuario?: string;
  actualizadoEn?: string;
}

/** The fields an `add` or `update` sets (only the options given; "" empties a field). */
function entryInput(options: EntryOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {
    palabra: options.palabra,
    definicion: options.definicion,
    categoria: options.categoria,
    tabla_relacionada: options.tabla,
    campo_relacionado: options.campo,
    valor: options.valor,
    condicion_sql: options.condicion,
    expresion_sql: options.expresion,
    sinonimos: options.sinonimos === undefined ? undefined : splitList(options.sinonimos),
    ejemplos_uso: options.ejemplos === undefined ? undefined : splitList(options.ejemplos, '|'),
    activo: yesNo('activo', options.activo),
    calificacion_id: ratingId(options.calificacion),
  };
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}

/** What an entry means to the question engine, in a few words. */
function meaning(entry: DictionaryRecord): string {
  const table = entry.tabla_relacionada;
  if (!table) return 'concepto sin SQL';
  const column = entry.campo_relacionado ? `${table}.${entry.campo_relacionado}` : table;
  const parts = [entry.valor !== null ? `${column} = ${entry.valor}` : column];
  if (entry.condicion_sql) parts.push(`donde ${entry.condicion_sql}`);
  if (entry.expresion_sql) parts.push(`${entry.categoria === 'seleccion' ? 'orden' : 'cifra'} ${entry.expresion_sql}`);
  return parts.join(' · ');
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);

function describeLine(entry: DictionaryRecord): string {
  const flags = [entry.categoria ?? 'sin categoría', ...(entry.activo ? [] : ['INACTIVA'])].join(', ');
  const synonyms = entry.sinonimos.length > 0 ? ` · ${entry.sinonimos.length} sinónimos` : '';
  return `#${entry.id} ${entry.palabra} [${flags}] → ${clip(meaning(entry), 90)}${synonyms}`;
}

function describeEntry(entry: DictionaryRecord): string {
  const list = (items: string[]) => (items.length > 0 ? items.join(', ') : '—');
  const who = (email: string | null) => (email ? ` por ${email}` : '');
  return [
    `Entrada #${entry.id}: ${entry.palabra}${entry.activo ? '' : ' (INACTIVA)'}`,
    `  Definición: ${entry.definicion || '(sin definición)'}`,
    `  Categoría: ${entry.categoria ?? '—'}`,
    `  Significado: ${meaning(entry)}`,
    `  Sinónimos: ${list(entry.sinonimos)}`,
    `  Ejemplos: ${entry.ejemplos_uso.length > 0 ? entry.ejemplos_uso.join(' | ') : '—'}`,
    `  Creada: ${entry.creado_en.toISOString()}${who(entry.creado_por_email)}`,
    `  Actualizada: ${entry.actualizado_en.toISOString()}${who(entry.actualizado_por_email)}`,
  ].join('\n');
}

function describeImprovement(result: Improvement): string {
  const lines = [`Mejora de «${result.palabra}» (${result.modelo}; no se guardó nada):`];
  if (result.explicacion) lines.push(`  ${result.explicacion}`);
  if (result.pregunta_aclaratoria) lines.push(`  Pregunta: ${result.pregunta_aclaratoria}`);
  const proposal = result.propuesta;
  if (proposal) {
    lines.push(
      `  Propuesta${result.valida ? '' : ' (NO VÁLIDA)'}:`,
      `    definición: ${proposal.definicion}`,
      `    categoría: ${proposal.categoria ?? '—'}`,
      `    tabla.campo: ${proposal.tabla_relacionada ?? '—'}.${proposal.campo_relacionado ?? '—'}`,
      `    valor: ${proposal.valor ?? '—'}`,
      `    condición: ${proposal.condicion_sql ?? '—'}`,
      `    expresión: ${proposal.expresion_sql ?? '—'}`,
      `    sinónimos: ${proposal.sinonimos.join(', ') || '—'}`,
      `    ejemplos: ${proposal.ejemplos_uso.join(' | ') || '—'}`,
    );
  }
  for (const problem of result.problemas) lines.push(`  Problema: ${problem}`);
  return lines.join('\n');
}

/** The entry named on the command line: its number or its palabra. */
const entryId = async (db: Queryable, ref: string) => (await findDictionaryEntry(db, ref)).id;

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('NOT_FOUND', `No se pudo leer el archivo ${file} (${(error as NodeJS.ErrnoException).code}).`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppError('INVALID_INPUT', `El archivo ${file} no es JSON válido: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

const usuarioOption = [
  '--usuario <email>',
  'quién hace el cambio (por defecto, el operador como administrador)',
] as const;
const calificacionOption = ['--calificacion <id>', 'calificación en revisión que motivó el cambio'] as const;

/** The options `add` and `update` share. */
function withEntryOptions(command: Command): Command {
  return command
    .option('--categoria <categoria>', 'filtro, campo, metrica, entidad, consulta, seleccion u otra (concepto)')
    .option('--tabla <tabla>', 'tabla relacionada (clientes, prestamos, cuotas, pagos…)')
    .option('--campo <campo>', 'columna relacionada de esa tabla')
    .option('--valor <valor>', 'la palabra equivale a tabla.campo = valor')
    .option('--condicion <sql>', 'condición SQL sobre la tabla (tabla.columna …)')
    .option('--expresion <sql>', 'expresión SQL (cifra de una métrica u orden de una selección)')
    .option('--sinonimos <lista>', 'sinónimos separados por comas')
    .option('--ejemplos <lista>', 'ejemplos de uso separados por «|»')
    .option('--activo <si|no>', 'si la entrada está activa')
    .option(...calificacionOption)
    .option(...usuarioOption);
}

/** `diccionario list | show | add | update | remove | sinonimo | import | export | mejorar`. */
export function registerDictionaryCommand(program: Command): void {
  const dictionary = program
    .command('diccionario')
    .description('Diccionario semántico (ai_diccionario_semantico): las palabras del negocio y lo que significan');

  dictionary
    .command('list')
    .description('Lista las entradas (por palabra)')
    .option('--categoria <categoria>', 'solo las de esta categoría')
    .option('--tabla <tabla>', 'solo las de esta tabla')
    .option('--buscar <texto>', 'texto dentro de la palabra o de un sinónimo (sin distinguir acentos)')
    .option('--activo <si|no>', 'solo las activas (si) o las inactivas (no)')
    .option('--limite <n>', 'cuántas mostrar como máximo', '1000')
    .action(
      async (
        options: { categoria?: string; tabla?: string; buscar?: string; activo?: string; limite: string },
        command: Command,
      ) => {
        const limite = Number(options.limite);
        if (!Number.isInteger(limite) || limite < 1 || limite > 100_000) {
          throw new AppError(
            'INVALID_INPUT',
            `--limite debe ser un número entero positivo (se recibió «${options.limite}»).`,
          );
        }
        await withDatabase(command, async ({ db, json }) => {
          const result = await listDictionary(db, {
            categoria: options.categoria,
            tabla: options.tabla,
            texto: options.buscar,
            activo: yesNo('activo', options.activo),
            limite,
          });
          printResult(json, result, () =>
            result.total === 0
              ? 'No hay entradas con esos filtros.'
              : [...result.entradas.map(describeLine), `${result.entradas.length} de ${result.total} entradas.`].join(
                  '\n',
                ),
          );
        });
      },
    );

  dictionary
    .command('show')
    .description('Muestra una entrada (por palabra, sinónimo o número)')
    .argument('<palabra>', 'palabra, sinónimo o número de la entrada')
    .action(async (ref: string, _options: unknown, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        let entries: DictionaryRecord[];
        try {
          entries = [await findDictionaryEntry(db, ref)];
        } catch (error) {
          if (!isAppError(error) || error.code !== 'NOT_FOUND' || /^\d+$/.test(ref.trim())) throw error;
          entries = await findBySynonym(db, ref);
          if (entries.length === 0) throw error;
        }
        const [first] = entries;
        printResult(json, entries.length === 1 ? first : { entradas: entries }, () => {
          const note = entries.length > 1 || first?.palabra !== ref.trim() ? `«${ref}» es sinónimo de:\n` : '';
          return note + entries.map(describeEntry).join('\n\n');
        });
      });
    });

  withEntryOptions(
    dictionary
      .command('add')
      .description('Crea una entrada (validada contra el esquema y el motor de preguntas)')
      .requiredOption('--palabra <palabra>', 'la palabra o frase (única sin distinguir mayúsculas ni acentos)')
      .requiredOption('--definicion <texto>', 'qué significa'),
  ).action(async (options: EntryOptions, command: Command) => {
    await withDatabase(command, async ({ db, json }) => {
      const actor = await cliActor(db, options.usuario);
      const created = await createDictionaryEntry({ db, actor, input: entryInput(options) });
      printResult(json, created, () => `Entrada #${created.id} «${created.palabra}» creada: ${meaning(created)}.`);
    });
  });

  withEntryOptions(
    dictionary
      .command('update')
      .description('Edita una entrada (solo las opciones dadas; "" vacía un campo)')
      .argument('<entrada>', 'palabra o número de la entrada')
      .option('--palabra <palabra>', 'nueva palabra')
      .option('--definicion <texto>', 'nueva definición')
      .option('--actualizado-en <fecha>', 'la fecha de actualización que leyó: si cambió después, no guarda'),
  ).action(async (ref: string, options: EntryOptions, command: Command) => {
    await withDatabase(command, async ({ db, json }) => {
      const actor = await cliActor(db, options.usuario);
      const input = { ...entryInput(options), actualizado_en: options.actualizadoEn };
      const updated = await updateDictionaryEntry({ db, actor, id: await entryId(db, ref), input });
      printResult(json, updated, () => `Entrada #${updated.id} «${updated.palabra}» actualizada: ${meaning(updated)}.`);
    });
  });

  dictionary
    .command('remove')
    .description('Elimina una entrada (el historial de cambios conserva lo que decía)')
    .argument('<entrada>', 'palabra o número de la entrada')
    .option('--actualizado-en <fecha>', 'la fecha de actualización que leyó: si cambió después, no elimina')
    .option(...calificacionOption)
    .option(...usuarioOption)
    .action(async (ref: string, options: EntryOptions, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const actor = await cliActor(db, options.usuario);
        const removed = await removeDictionaryEntry({
          db,
          actor,
          id: await entryId(db, ref),
          actualizadoEn: options.actualizadoEn,
          calificacionId: ratingId(options.calificacion),
        });
        printResult(json, removed, () => `Entrada #${removed.id} «${removed.palabra}» eliminada.`);
      });
    });

  dictionary
    .command('sinonimo')
    .description('Agrega un sinónimo a una entrada')
    .argument('<entrada>', 'palabra o número de la entrada')
    .argument('<sinonimo>', 'el sinónimo nuevo')
    .option(...calificacionOption)
    .option(...usuarioOption)
    .action(async (ref: string, sinonimo: string, options: EntryOptions, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const actor = await cliActor(db, options.usuario);
        const input = { sinonimo, calificacion_id: ratingId(options.calificacion) };
        const before = await findDictionaryEntry(db, ref);
        const updated = await addDictionarySynonym({ db, actor, id: before.id, input });
        const added = updated.sinonimos.length > before.sinonimos.length;
        printResult(json, updated, () =>
          added
            ? `«${sinonimo}» agregado a «${updated.palabra}» (${updated.sinonimos.length} sinónimos).`
            : `«${sinonimo}» ya era sinónimo de «${updated.palabra}»; no cambió nada.`,
        );
      });
    });

  dictionary
    .command('import')
    .description('Importa entradas de un JSON (el formato de export): todas o ninguna')
    .argument('<archivo>', 'archivo .json: una lista de entradas o {"entradas": [...]}')
    .option(...usuarioOption)
    .action(async (file: string, options: { usuario?: string }, command: Command) => {
      const input = await readJson(file);
      await withDatabase(command, async ({ db, json }) => {
        const actor = await cliActor(db, options.usuario);
        const result = await importDictionary({ db, actor, input });
        printResult(
          json,
          result,
          () =>
            `Importación de ${result.total} entradas: ${result.creadas} creadas, ${result.actualizadas} actualizadas, ${result.sin_cambios} sin cambios.`,
        );
      });
    });

  dictionary
    .command('export')
    .description('Exporta el diccionario como JSON (a la salida estándar si no se da archivo)')
    .argument('[archivo]', 'archivo .json de destino')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const entries = await exportDictionary(db);
        if (!file) {
          console.log(JSON.stringify(entries, null, json ? undefined : 2));
          return;
        }
        await writeFile(file, `${JSON.stringify(entries, null, 2)}\n`);
        printResult(
          json,
          { archivo: file, total: entries.length },
          () => `${entries.length} entradas exportadas a ${file}.`,
        );
      });
    });

  dictionary
    .command('mejorar')
    .description('Propone cómo mejorar una entrada o una palabra nueva (con el modelo configurado o local); no guarda')
    .argument('<palabra>', 'palabra (existente o nueva) o número de la entrada')
    .option('--contexto <texto>', 'qué quiere decir la palabra, con sus palabras')
    .action(async (ref: string, options: { contexto?: string }, command: Command) => {
      await withDatabase(command, async ({ config, db, json }) => {
        const input = /^\d+$/.test(ref.trim())
          ? { id: Number(ref), contexto: options.contexto }
          : { palabra: ref, contexto: options.contexto };
        const result = await improveEntry({ db, chat: chatProviderFromConfig(config.chat), input });
        printResult(json, result, () => describeImprovement(result));
      });
    });
}
