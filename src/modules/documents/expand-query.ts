import type { Queryable } from '../../db/database.ts';
import { contentWords, stem } from '../embeddings/index.ts';

/** Words added to a question, and why. */
export interface QueryExpansion {
  /** Extra words and phrases to search for. */
  terms: string[];
  /** Dictionary entries the question matched (their `palabra`). */
  diccionario: string[];
}

interface DictionaryEntry {
  palabra: string;
  sinonimos: unknown;
}

function stems(text: string): string[] {
  return contentWords(text).map(stem);
}

/** True when `phrase` (as stems) occurs as a contiguous run inside `sequence`. */
function containsRun(sequence: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0 || phrase.length > sequence.length) return false;
  outer: for (let start = 0; start + phrase.length <= sequence.length; start++) {
    for (let offset = 0; offset < phrase.length; offset++) {
      if (sequence[start + offset] !== phrase[offset]) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Expands a question with the semantic dictionary: a word or any of its synonyms in the question
 * brings in the word and all its synonyms (multi-word forms match as phrases, after stemming). The
 * dictionary is read on every call, so an edit is used by the next question. Entries that only say
 * how staff ask for data (categorías metrica, campo, seleccion, filtro, consulta: figures, columns,
 * rows and conditions of the loan book) are not how policies are worded, and only add noise here.
 */
export async function expandQuery(db: Queryable, question: string): Promise<QueryExpansion> {
  const questionStems = stems(question);
  const { rows } = await db.query<DictionaryEntry>(
    `SELECT palabra, sinonimos FROM ai_diccionario_semantico
      WHERE activo AND coalesce(categoria, '') NOT IN ('metrica', 'seleccion', 'campo', 'filtro', 'consulta') ORDER BY id`,
  );
  const terms = new Set<string>();
  const diccionario: string[] = [];
  for (const entry of rows) {
    const synonyms = Array.isArray(entry.sinonimos) ? entry.sinonimos.filter((s) => typeof s === 'string') : [];
    const forms = [entry.palabra, ...synonyms];
    const matched = forms.filter((form) => containsRun(questionStems, stems(form)));
    if (matched.length === 0) continue;
    diccionario.push(entry.palabra);
    for (const form of forms) if (!matched.includes(form)) terms.add(form);
  }
  return { terms: [...terms], diccionario };
}
