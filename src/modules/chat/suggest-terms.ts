import type { Queryable } from '../../db/database.ts';
import { editDistance, foldText } from '../embeddings/index.ts';

/** Terms most asked about, offered when nothing in the question was understood. */
const FALLBACK = [
  'préstamo activo',
  'cuota vencida',
  'cliente moroso',
  'saldo pendiente',
  'monto cobrado',
  'tasa de morosidad',
];

/**
 * Dictionary terms close to the words that were not understood (spelling or shared beginning);
 * the usual terms when none is close.
 */
export async function suggestTerms(db: Queryable, unknown: string[], limit = 5): Promise<string[]> {
  const { rows } = await db.query<{ palabra: string; sinonimos: string[] }>(
    `SELECT palabra, sinonimos FROM ai_diccionario_semantico
      WHERE activo AND (condicion_sql IS NOT NULL OR expresion_sql IS NOT NULL OR categoria IN ('entidad', 'campo'))`,
  );
  const found: string[] = [];
  for (const word of unknown.map((item) => foldText(item))) {
    for (const row of rows) {
      const phrases = [row.palabra, ...row.sinonimos].map((phrase) => foldText(phrase));
      const close = phrases.some((phrase) =>
        phrase
          .split(/\s+/)
          .some((part) => part.length >= 4 && (part.startsWith(word.slice(0, 4)) || editDistance(part, word, 2) <= 2)),
      );
      if (close && !found.includes(row.palabra)) found.push(row.palabra);
    }
  }
  const known = new Set(rows.map((row) => row.palabra));
  const fallback = FALLBACK.filter((term) => known.has(term) && !found.includes(term));
  return [...found, ...fallback].slice(0, limit);
}
