import type { Database } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors.ts';
import { ALLOWED_TABLES, checkDictionarySql } from '../sql-assistant/index.ts';
import { termKey, type DictionaryContent } from './dictionary-entry.ts';

/** What validation reads from the database, read once per import instead of once per entry. */
export interface ValidationCache {
  columns?: Map<string, Set<string>>;
  possibleValues?: Map<string, string[]>;
}

const invalid = (message: string) => new AppError('INVALID_INPUT', message);

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A column value as words, so "en revisión" matches EN_REVISION. */
const valueKey = (value: string) => termKey(value.replace(/_/g, ' '));

async function liveColumns(db: Database, cache: ValidationCache): Promise<Map<string, Set<string>>> {
  if (cache.columns) return cache.columns;
  const { rows } = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1)`,
    [Object.keys(ALLOWED_TABLES)],
  );
  const columns = new Map<string, Set<string>>();
  for (const row of rows) columns.set(row.table_name, (columns.get(row.table_name) ?? new Set()).add(row.column_name));
  cache.columns = columns;
  return columns;
}

async function possibleValues(db: Database, cache: ValidationCache): Promise<Map<string, string[]>> {
  if (cache.possibleValues) return cache.possibleValues;
  const { rows } = await db.query<{ tabla: string; campo: string; valores_posibles: unknown }>(
    'SELECT tabla, campo, valores_posibles FROM ai_definiciones_campos WHERE activo',
  );
  cache.possibleValues = new Map(
    rows.map((row) => [
      `${row.tabla}.${row.campo}`,
      Array.isArray(row.valores_posibles) ? row.valores_posibles.map(String) : [],
    ]),
  );
  return cache.possibleValues;
}

function checkTable(tabla: string, columns: Map<string, Set<string>>): void {
  if (!Object.hasOwn(ALLOWED_TABLES, tabla)) {
    throw invalid(
      `La tabla «${tabla}» no está entre las que el asistente puede consultar (${Object.keys(ALLOWED_TABLES).join(', ')}).`,
    );
  }
  if (!columns.has(tabla)) throw invalid(`La tabla «${tabla}» no existe en la base de datos.`);
}

function checkColumn(tabla: string, campo: string, columns: Map<string, Set<string>>): void {
  if (tabla === 'users' && campo === 'password_hash') {
    throw invalid('La columna users.password_hash nunca puede usarse en el diccionario.');
  }
  const allowed = ALLOWED_TABLES[tabla] ?? [];
  if (!columns.get(tabla)?.has(campo)) {
    throw invalid(`La columna «${campo}» no existe en la tabla ${tabla}; columnas válidas: ${allowed.join(', ')}.`);
  }
  if (!allowed.includes(campo)) {
    throw invalid(`La columna ${tabla}.${campo} no está entre las que el asistente puede consultar.`);
  }
}

/** Splits `a DESC, f(b, c)` at its top-level commas (outside parentheses and quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === "'") quoted = !quoted;
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')') depth--;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

/**
 * A 'seleccion' entry's expression is an ORDER BY ("pagos.fecha_pago DESC, pagos.id DESC"): each
 * key is checked as an expression of its own, without its direction.
 */
async function checkOrderBy(db: Database, tabla: string, orden: string): Promise<void> {
  for (const key of splitTopLevel(orden)) {
    const expresion = key.replace(/\s+(ASC|DESC)?(\s+NULLS\s+(FIRST|LAST))?\s*$/i, '').trim();
    if (!expresion) throw invalid('El orden de la selección (expresion_sql) tiene una clave vacía.');
    await checkDictionarySql(db, { tabla, expresion });
  }
}

/** The canonical spelling of `valor` among the column's possible values, or INVALID_INPUT. */
async function checkValue(
  db: Database,
  content: DictionaryContent,
  tabla: string,
  campo: string,
  valor: string,
  cache: ValidationCache,
): Promise<string> {
  if (content.condicion_sql) {
    throw invalid('Indique valor o condicion_sql, no ambos: valor ya equivale a la condición «tabla.campo = valor».');
  }
  const possible = (await possibleValues(db, cache)).get(`${tabla}.${campo}`) ?? [];
  if (possible.length > 0) {
    const canonical = possible.find((candidate) => valueKey(candidate) === valueKey(valor));
    if (canonical === undefined) {
      throw invalid(
        `El valor «${valor}» no es uno de los valores posibles de ${tabla}.${campo}: ${possible.join(', ')}.`,
      );
    }
    return canonical;
  }
  try {
    await checkDictionarySql(db, { tabla, condicion: `${tabla}.${campo} = ${quote(valor)}` });
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_INPUT') {
      throw new AppError(
        'INVALID_INPUT',
        `El valor «${valor}» no se puede comparar con ${tabla}.${campo}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
  return valor;
}

/**
 * Checks an entry against the live schema before it is saved: its table and column are ones the
 * assistant may read, its value is one the column can hold, and its SQL passes the engine's guard.
 * Returns the content with the value in its canonical spelling. Throws INVALID_INPUT in Spanish.
 */
export async function validateContent(
  db: Database,
  content: DictionaryContent,
  cache: ValidationCache = {},
): Promise<DictionaryContent> {
  const { tabla_relacionada: tabla, campo_relacionado: campo, condicion_sql, expresion_sql } = content;
  if (!tabla) {
    if (campo) throw invalid('campo_relacionado requiere tabla_relacionada.');
    if (content.valor) throw invalid('valor requiere tabla_relacionada y campo_relacionado.');
    if (condicion_sql || expresion_sql) throw invalid('condicion_sql y expresion_sql requieren tabla_relacionada.');
    return content;
  }
  const columns = await liveColumns(db, cache);
  checkTable(tabla, columns);
  if (campo) checkColumn(tabla, campo, columns);
  let valor = content.valor;
  if (valor) {
    if (!campo) throw invalid('valor requiere campo_relacionado (la columna que tiene ese valor).');
    valor = await checkValue(db, content, tabla, campo, valor, cache);
  }
  if (content.categoria === 'seleccion' && expresion_sql) {
    await checkDictionarySql(db, { tabla, condicion: condicion_sql });
    await checkOrderBy(db, tabla, expresion_sql);
  } else {
    await checkDictionarySql(db, { tabla, condicion: condicion_sql, expresion: expresion_sql });
  }
  return { ...content, valor };
}
