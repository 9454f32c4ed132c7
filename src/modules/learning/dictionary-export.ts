import type { Queryable } from '../../db/database.ts';
import { contentOf, PALABRA_KEY_SQL, type DictionaryContent } from './dictionary-entry.ts';

/**
 * The whole dictionary as the import reads it: every entry (active or not) with its content only, no
 * ids or timestamps, ordered by word ignoring accents so two exports of the same data are identical.
 */
export async function exportDictionary(db: Queryable): Promise<DictionaryContent[]> {
  const { rows } = await db.query<DictionaryContent>(
    `SELECT palabra, definicion, categoria, tabla_relacionada, campo_relacionado, valor, condicion_sql,
            expresion_sql, sinonimos, ejemplos_uso, activo
       FROM ai_diccionario_semantico d ORDER BY ${PALABRA_KEY_SQL}, d.id`,
  );
  return rows.map(contentOf);
}
