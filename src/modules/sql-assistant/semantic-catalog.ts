import type { Queryable } from '../../db/database.ts';

/** A column of the loan book as `ai_definiciones_campos` describes it. */
export interface FieldDefinition {
  tabla: string;
  campo: string;
  definicion: string;
  tipo_dato: string;
  es_clave_foranea: boolean;
  tabla_referenciada: string | null;
  campo_referenciado: string | null;
  valores_posibles: string[];
  sinonimos: string[];
  es_catalogo: boolean;
}

/** An active entry of `ai_diccionario_semantico`. */
export interface DictionaryEntry {
  id: number;
  palabra: string;
  definicion: string;
  categoria: string | null;
  tabla: string | null;
  campo: string | null;
  condicion: string | null;
  expresion: string | null;
  /** The value of `tabla.campo` the entry stands for ("préstamo vivo" → APROBADO), when it is one. */
  valor: string | null;
  sinonimos: string[];
}

/** A value of a catalogue column read from the live data ("Empire Keeway Caracas"). */
export interface CatalogValue {
  tabla: string;
  campo: string;
  valor: string;
}

/** Everything the engine knows about the schema and the business at one moment. */
export interface SemanticCatalog {
  fields: FieldDefinition[];
  dictionary: DictionaryEntry[];
  values: CatalogValue[];
  /** Changes whenever the dictionary, the definitions or the catalogue data change. */
  signature: string;
}

/** The base-domain tables the engine answers about. */
export const DOMAIN_TABLES = ['clientes', 'prestamos', 'cuotas', 'pagos'] as const;

/** Most distinct values a catalogue column may have to be understood as values (names beyond are ignored). */
const MAX_CATALOG_VALUES = 2000;
/**
 * How long the catalogue is trusted before its signature is checked again (ms). Zero: every question
 * checks (one cheap query of maxima and small counts), so an edit or a new row is seen at once.
 */
const SIGNATURE_TTL_MS = 0;

const SIGNATURE_SQL = `
  SELECT concat_ws('|',
    (SELECT count(*) || ':' || coalesce(max(actualizado_en)::text, '') FROM ai_diccionario_semantico),
    (SELECT count(*) || ':' || coalesce(max(actualizado_en)::text, '') FROM ai_definiciones_campos),
    (SELECT coalesce(max(id), 0) FROM prestamos),
    (SELECT coalesce(max(id), 0) FROM pagos),
    (SELECT coalesce(max(id), 0) FROM clientes)) AS firma`;

interface CacheEntry {
  catalog: SemanticCatalog;
  checkedAt: number;
}

const cache = new WeakMap<object, CacheEntry>();

async function readCatalog(db: Queryable, signature: string): Promise<SemanticCatalog> {
  const fields = await db.query<FieldDefinition>(
    `SELECT tabla, campo, definicion, coalesce(tipo_dato, 'text') AS tipo_dato, es_clave_foranea, tabla_referenciada,
            campo_referenciado, valores_posibles, sinonimos, es_catalogo
       FROM ai_definiciones_campos WHERE activo ORDER BY tabla, id`,
  );
  const dictionary = await db.query<DictionaryEntry>(
    `SELECT id, palabra, definicion, categoria, tabla_relacionada AS tabla, campo_relacionado AS campo,
            condicion_sql AS condicion, expresion_sql AS expresion, valor, sinonimos
       FROM ai_diccionario_semantico WHERE activo ORDER BY id`,
  );
  const values: CatalogValue[] = [];
  for (const field of fields.rows) {
    if (!field.es_catalogo || !(DOMAIN_TABLES as readonly string[]).includes(field.tabla)) continue;
    if (!/^[a-z_]+$/.test(field.campo)) continue;
    // Identifiers come from the definitions table and are checked above; values are data.
    const { rows } = await db.query<{ valor: string }>(
      `SELECT DISTINCT ${field.campo} AS valor FROM ${field.tabla} WHERE ${field.campo} IS NOT NULL LIMIT ${MAX_CATALOG_VALUES + 1}`,
    );
    if (rows.length > MAX_CATALOG_VALUES) continue;
    for (const row of rows) values.push({ tabla: field.tabla, campo: field.campo, valor: String(row.valor) });
  }
  return { fields: fields.rows, dictionary: dictionary.rows, values, signature };
}

/**
 * The catalogue for `db`, cached per database handle and re-read when the dictionary, the field
 * definitions or the loan book change (checked by one cheap signature query per question).
 */
export async function loadSemanticCatalog(db: Queryable): Promise<SemanticCatalog> {
  const cached = cache.get(db);
  const now = Date.now();
  if (cached && now - cached.checkedAt < SIGNATURE_TTL_MS) return cached.catalog;
  const { rows } = await db.query<{ firma: string }>(SIGNATURE_SQL);
  const signature = rows[0]?.firma ?? '';
  if (cached && cached.catalog.signature === signature) {
    cached.checkedAt = now;
    return cached.catalog;
  }
  const catalog = await readCatalog(db, signature);
  cache.set(db, { catalog, checkedAt: now });
  return catalog;
}

/** Forgets the cached catalogue of `db` (after an edit made through this process). */
export function invalidateSemanticCatalog(db: Queryable): void {
  cache.delete(db);
}
