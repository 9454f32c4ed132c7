import type { Queryable } from '../../db/database.ts';
import { ALLOWED_TABLES } from '../sql-assistant/index.ts';
import { parseCheckValues } from './check-values.ts';
import { maskValue } from './mask-value.ts';

/**
 * Columns that hold personal data: their sample values are always masked and never become possible
 * values. Free text written about a client (notas, observaciones) is treated as personal because it
 * may name people or carry their phone; so is pagos.usuario_registro, a staff e-mail like users.email.
 * Not personal: a payment's bank reference (numero_documento identifies a transfer, not a person) and
 * the loan officer's name (prestamos.analista, a work role the assistant must recognise as a value).
 */
export const PERSONAL_COLUMNS: ReadonlySet<string> = new Set([
  'clientes.cedula',
  'clientes.nombres',
  'clientes.telefono',
  'clientes.email',
  'clientes.direccion',
  'clientes.fecha_nacimiento',
  'clientes.notas',
  'prestamos.observaciones',
  'pagos.usuario_registro',
  'users.email',
  'users.nombre',
  'users.apellido',
]);

/** What the live catalogue says about a column: the fields sync owns in `ai_definiciones_campos`. */
export interface TechnicalFields {
  tipo_dato: string;
  es_obligatorio: boolean;
  tiene_indice: boolean;
  es_clave_foranea: boolean;
  tabla_referenciada: string | null;
  campo_referenciado: string | null;
  valores_posibles: string[];
  ejemplos_valores: string[];
}

/** A column of an allowed table as the catalogue and a bounded sample of its rows describe it. */
export interface LiveColumn {
  tabla: string;
  campo: string;
  tipo_dato: string;
  es_obligatorio: boolean;
  tiene_indice: boolean;
  tabla_referenciada: string | null;
  campo_referenciado: string | null;
  /** The values a CHECK constraint allows (`campo IN (...)`), empty when there is none. */
  valores_check: string[];
  /** What a bounded sample of the table shows of the column. */
  muestra: ColumnSample;
}

/** Rows read per table (one bounded query per table, never a full scan of a big one). */
const SAMPLE_ROWS = 10_000;
/**
 * Pages a table sample reads (TABLESAMPLE SYSTEM picks whole pages spread over the table); few enough
 * that SAMPLE_ROWS rarely cuts it, so the sample is whole pages and does not depend on row order.
 */
const SAMPLE_PAGES = 100;
/** Most distinct values a text column may show in the sample to count as a list of possible values. */
const MAX_LOW_CARDINALITY = 12;
/** Fewest non-null sampled values before a low cardinality means anything. */
const MIN_LOW_CARDINALITY_ROWS = 30;
const MAX_EXAMPLES = 5;
const MAX_EXAMPLE_LENGTH = 80;

const COLUMNS_SQL = `
  SELECT c.relname AS tabla, a.attname AS campo, format_type(a.atttypid, a.atttypmod) AS tipo_dato,
         a.attnotnull AS es_obligatorio,
         EXISTS (SELECT 1 FROM pg_index i
                  WHERE i.indrelid = c.oid AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1])) AS tiene_indice,
         fk.tabla_referenciada, fk.campo_referenciado
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN LATERAL (
      SELECT rc.relname AS tabla_referenciada, ra.attname AS campo_referenciado
        FROM pg_constraint k
        CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS u(columna, referida)
        JOIN pg_class rc ON rc.oid = k.confrelid
        JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = u.referida
       WHERE k.conrelid = c.oid AND k.contype = 'f' AND u.columna = a.attnum
       ORDER BY k.conname LIMIT 1) fk ON true
   WHERE c.relkind IN ('r', 'p') AND c.relname = ANY ($1)
   ORDER BY c.relname, a.attnum`;

const CHECKS_SQL = `
  SELECT c.relname AS tabla, pg_get_constraintdef(k.oid) AS definicion
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
   WHERE k.contype = 'c' AND c.relname = ANY ($1)
   ORDER BY c.relname, k.conname`;

const PAGES_SQL = `
  SELECT pg_relation_size(c.oid) / current_setting('block_size')::bigint AS paginas
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
   WHERE c.relname = $1 AND c.relkind IN ('r', 'p')`;

/** The tables the assistant may read (the catalogue query keeps those that exist). */
function allowedTables(): string[] {
  return Object.keys(ALLOWED_TABLES);
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

interface ColumnSample {
  /** Distinct values ordered by the hash of their text (a few more than shown, for masking). */
  ejemplos: string[];
  /** Non-empty values in the sample. */
  filas: number;
  /** Up to MAX_LOW_CARDINALITY + 1 distinct values; null for columns that are not text. */
  distintos: string[] | null;
}

const isText = (type: string): boolean => /^(text|character|varchar|citext)/.test(type);

/**
 * One query per table: a bounded sample of it (whole pages picked over the table with TABLESAMPLE
 * SYSTEM, repeatable so the same data gives the same sample, at most SAMPLE_ROWS rows), summarised in
 * the database so only a few values per column travel: examples, count, distinct values.
 */
async function sampleTable(
  db: Queryable,
  tabla: string,
  columns: { campo: string; tipo_dato: string }[],
): Promise<Map<string, ColumnSample>> {
  const { rows: pages } = await db.query<{ paginas: number }>(PAGES_SQL, [tabla]);
  const pageCount = Number(pages[0]?.paginas ?? 0);
  const percent = pageCount <= SAMPLE_PAGES ? 100 : (100 * SAMPLE_PAGES) / pageCount;
  // Identifiers come from the live catalogue filtered by ALLOWED_TABLES; the numbers are computed here.
  const present = (column: string) => `${column} IS NOT NULL AND ${column}::text <> ''`;
  const counts = columns.map(({ campo }) => {
    const column = quoteIdentifier(campo);
    return `${quoteLiteral(campo)}, count(*) FILTER (WHERE ${present(column)})`;
  });
  const summaries = columns.map(({ campo, tipo_dato }) => {
    const column = quoteIdentifier(campo);
    // Examples: distinct values picked by the hash of their text, so the same data gives the same
    // examples whatever the physical order of the rows (an UPDATE moves a row; its value stays).
    const examples = `(SELECT coalesce(jsonb_agg(v ORDER BY md5(v), v), '[]') FROM
        (SELECT v FROM (SELECT DISTINCT ${column}::text AS v FROM muestra WHERE ${present(column)}) d
          ORDER BY md5(v), v LIMIT ${MAX_EXAMPLES * 2}) e)`;
    const distinct = isText(tipo_dato)
      ? `(SELECT coalesce(jsonb_agg(v), '[]') FROM
           (SELECT DISTINCT ${column}::text AS v FROM muestra WHERE ${present(column)} LIMIT ${MAX_LOW_CARDINALITY + 1}) d)`
      : 'NULL::jsonb';
    return `jsonb_build_array(${examples}, ${distinct}) AS ${column}`;
  });
  const { rows } = await db.query<Record<string, [string[], string[] | null]> & { rc_filas: Record<string, number> }>(
    `WITH muestra AS MATERIALIZED (
       SELECT ${columns.map((column) => quoteIdentifier(column.campo)).join(', ')}
         FROM ${quoteIdentifier(tabla)} TABLESAMPLE SYSTEM (${percent.toFixed(6)}) REPEATABLE (42)
        LIMIT ${SAMPLE_ROWS})
     SELECT (SELECT jsonb_build_object(${counts.join(', ')}) FROM muestra) AS rc_filas,
            ${summaries.join(',\n')}`,
  );
  const row = rows[0];
  return new Map(
    columns.map(({ campo }) => {
      const [ejemplos, distintos] = row?.[campo] ?? [[], null];
      return [campo, { ejemplos, distintos, filas: row?.rc_filas[campo] ?? 0 }] as const;
    }),
  );
}

/**
 * The live catalogue of the allowed tables (or of one table): every allowed column with its type,
 * NOT NULL, index, foreign key, CHECK list and a bounded sample of its values. users.password_hash
 * and any column ALLOWED_TABLES does not list are never read.
 */
export async function readLiveColumns(db: Queryable, only?: { tabla: string }): Promise<LiveColumn[]> {
  const tables = allowedTables().filter((table) => !only || table === only.tabla);
  if (tables.length === 0) return [];
  const { rows } = await db.query<Omit<LiveColumn, 'valores_check' | 'muestra'>>(COLUMNS_SQL, [tables]);
  const columns = rows.filter((row) => ALLOWED_TABLES[row.tabla]?.includes(row.campo));
  const checks = await db.query<{ tabla: string; definicion: string }>(CHECKS_SQL, [tables]);
  const checkValues = new Map<string, string[]>();
  for (const check of checks.rows) {
    const parsed = await parseCheckValues(check.definicion);
    if (parsed) checkValues.set(`${check.tabla}.${parsed.campo}`, parsed.valores);
  }
  const samples = new Map<string, ColumnSample>();
  for (const table of new Set(columns.map((column) => column.tabla))) {
    const ofTable = columns.filter((column) => column.tabla === table);
    for (const [campo, sample] of await sampleTable(db, table, ofTable)) samples.set(`${table}.${campo}`, sample);
  }
  return columns.map((column) => {
    const key = `${column.tabla}.${column.campo}`;
    const muestra = samples.get(key) ?? { ejemplos: [], filas: 0, distintos: null };
    return { ...column, valores_check: checkValues.get(key) ?? [], muestra };
  });
}

const shorten = (text: string): string =>
  text.length > MAX_EXAMPLE_LENGTH ? `${text.slice(0, MAX_EXAMPLE_LENGTH - 1)}…` : text;

/** Up to five distinct sampled values as text (stable for the same data), masked for personal data. */
export function exampleValues(column: LiveColumn, personal: boolean): string[] {
  const examples: string[] = [];
  for (const value of column.muestra.ejemplos) {
    const text = personal ? maskValue(value) : shorten(value);
    if (text !== '' && !examples.includes(text)) examples.push(text);
    if (examples.length === MAX_EXAMPLES) break;
  }
  return examples;
}

/** The few distinct values of a text column without a CHECK list, when the sample shows only a few. */
function lowCardinalityValues(column: LiveColumn, personal: boolean): string[] {
  const { distintos, filas } = column.muestra;
  if (personal || distintos === null || column.valores_check.length > 0) return [];
  if (filas < MIN_LOW_CARDINALITY_ROWS || distintos.length > MAX_LOW_CARDINALITY) return [];
  return [...distintos].sort((a, b) => a.localeCompare(b, 'es'));
}

/**
 * The technical fields of a definition from the live column. The CHECK list replaces valores_posibles;
 * low-cardinality values found in the sample are added to what is there (never removing a value written
 * by hand); with no derived values the current list stays. Examples stay when the table is empty.
 */
export function technicalFields(
  column: LiveColumn,
  personal: boolean,
  current?: Pick<TechnicalFields, 'valores_posibles' | 'ejemplos_valores'>,
): TechnicalFields {
  const currentValues = current?.valores_posibles ?? [];
  const sampled = lowCardinalityValues(column, personal);
  const valores_posibles =
    column.valores_check.length > 0
      ? column.valores_check
      : [...currentValues, ...sampled.filter((value) => !currentValues.includes(value))];
  const examples = exampleValues(column, personal);
  return {
    tipo_dato: column.tipo_dato,
    es_obligatorio: column.es_obligatorio,
    tiene_indice: column.tiene_indice,
    es_clave_foranea: column.tabla_referenciada !== null,
    tabla_referenciada: column.tabla_referenciada,
    campo_referenciado: column.campo_referenciado,
    valores_posibles,
    ejemplos_valores: examples.length > 0 ? examples : (current?.ejemplos_valores ?? []),
  };
}
