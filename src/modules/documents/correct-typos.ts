import type { Queryable } from '../../db/database.ts';
import { contentWords, editDistance } from '../embeddings/index.ts';

/** Words shorter than this are not corrected (too many near neighbours). */
const MIN_LENGTH = 5;

/** Edits allowed for a word of this length: one for short words, two from 8 letters on. */
function allowedEdits(word: string): number {
  return word.length >= 8 ? 2 : 1;
}

/** The distinct content words of a text that a typo check looks at (letters only). */
function checkableWords(text: string): string[] {
  return [...new Set(contentWords(text))].filter((word) => word.length >= MIN_LENGTH && /^[a-z]+$/.test(word));
}

/** Counts of the folded words of a document's text, for `documento_ai_vocabulario`. */
export function vocabulary(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of contentWords(text)) {
      if (word.length >= 4 && /^[a-z]+$/.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Corrections for the words of a question that no active document uses: each one maps to the
 * closest word the documents do use (edit distance 1, or 2 for long words; same first letter), the
 * most frequent one on ties. "difermiento" → "diferimiento", "herrmano" → "hermano".
 */
export async function correctTypos(db: Queryable, question: string): Promise<Map<string, string>> {
  const words = checkableWords(question);
  if (words.length === 0) return new Map();
  const { rows: known } = await db.query<{ palabra: string }>(
    `SELECT DISTINCT v.palabra FROM documento_ai_vocabulario v
       JOIN documentos_ai d ON d.id = v.documento_id AND d.activo AND d.contenido_procesado
      WHERE v.palabra = ANY($1::text[])`,
    [words],
  );
  const unknown = words.filter((word) => !known.some((row) => row.palabra === word));
  if (unknown.length === 0) return new Map();
  const { rows: candidates } = await db.query<{ palabra: string; frecuencia: number }>(
    `SELECT v.palabra, sum(v.frecuencia)::int AS frecuencia
       FROM documento_ai_vocabulario v
       JOIN documentos_ai d ON d.id = v.documento_id AND d.activo AND d.contenido_procesado
      WHERE left(v.palabra, 1) = ANY($1::text[]) AND length(v.palabra) BETWEEN $2 AND $3
      GROUP BY v.palabra`,
    [
      [...new Set(unknown.map((word) => word.charAt(0)))],
      Math.min(...unknown.map((word) => word.length)) - 2,
      Math.max(...unknown.map((word) => word.length)) + 2,
    ],
  );
  const corrections = new Map<string, string>();
  for (const word of unknown) {
    const max = allowedEdits(word);
    let best: { palabra: string; distance: number; frecuencia: number } | undefined;
    for (const candidate of candidates) {
      if (candidate.palabra.charAt(0) !== word.charAt(0)) continue;
      const distance = editDistance(word, candidate.palabra, max);
      if (distance > max) continue;
      if (!best || distance < best.distance || (distance === best.distance && candidate.frecuencia > best.frecuencia)) {
        best = { ...candidate, distance };
      }
    }
    if (best) corrections.set(word, best.palabra);
  }
  return corrections;
}
