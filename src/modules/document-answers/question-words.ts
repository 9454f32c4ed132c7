import type { Queryable } from '../../db/database.ts';
import { correctTypos } from '../documents/index.ts';
import { contentWords, editDistance, foldText, stem, words } from '../embeddings/index.ts';
import { FRAME_WEIGHT, isFrameWord } from './frame-words.ts';
import { type Alternative, type QuestionWord, SYNONYM_CREDIT } from './relevance.ts';

interface DictionaryEntry {
  palabra: string;
  sinonimos: unknown;
}

/** Start positions of `phrase` as a contiguous run inside `sequence`. */
function runsOf(sequence: readonly string[], phrase: readonly string[]): number[] {
  const starts: number[] = [];
  if (phrase.length === 0) return starts;
  for (let start = 0; start + phrase.length <= sequence.length; start++) {
    if (phrase.every((part, offset) => sequence[start + offset] === part)) starts.push(start);
  }
  return starts;
}

/**
 * How many chunks of `model` contain each word (through the Spanish lexemes full-text search
 * uses), and how many chunks there are.
 */
async function chunkFrequencies(
  db: Queryable,
  model: string,
  words: readonly string[],
): Promise<{ total: number; frequency: Map<string, number> }> {
  const { rows } = await db.query<{ palabra: string; df: number; n: number }>(
    `WITH total AS MATERIALIZED (SELECT count(*) AS n FROM documento_ai_embeddings WHERE modelo_embedding = $2)
     SELECT p.palabra, total.n, coalesce(max(x.df), 0) AS df
       FROM total, unnest($1::text[]) AS p (palabra)
       LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('spanish', rc_sin_acentos(p.palabra)))) AS l ON true
       LEFT JOIN LATERAL (
         SELECT count(*) AS df FROM documento_ai_embeddings e
          WHERE e.modelo_embedding = $2 AND e.texto_busqueda @@ to_tsquery('simple', quote_literal(l))
       ) AS x ON l IS NOT NULL
      GROUP BY p.palabra, total.n`,
    [words, model],
  );
  return {
    total: Number(rows[0]?.n ?? 0),
    frequency: new Map(rows.map((row) => [row.palabra, Number(row.df)])),
  };
}

/** BM25 idf: how rare a word found in `df` of `n` chunks is (a word found nowhere is the rarest). */
function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Articles, prepositions and determiners: the word after one is most likely a noun. */
const INTRODUCERS = new Set(
  `el la los las un una unos unas del al a de por para con sin sobre entre mi mis su sus tu tus nuestro nuestra
  nuestros nuestras este esta estos estas ese esa esos esas cada otro otra otros otras cual cuales cuanto cuanta
  cuantos cuantas algun alguna algunos algunas ningun ninguna varios varias`.split(/\s+/),
);

/** The words of a question that an article, preposition or determiner introduces (likely nouns). */
function namedWords(question: string): Set<string> {
  const all = words(question);
  return new Set(all.filter((_, index) => index > 0 && INTRODUCERS.has(all[index - 1] ?? '')));
}

function dictionaryForms(entry: DictionaryEntry): string[] {
  const synonyms = Array.isArray(entry.sinonimos) ? entry.sinonimos.filter((s) => typeof s === 'string') : [];
  return [entry.palabra, ...synonyms];
}

/**
 * The content words of a question, ready for `coverage`: each weighted by its rarity among the
 * chunks of the active model (words that only frame the question weigh less), with the synonyms of
 * the dictionary entries whose forms occur in the question (as stemmed phrases, also after
 * correcting misspelt words against the documents' and the dictionary's vocabulary); a correction
 * itself counts as a synonym, since it is a guess.
 */
export async function questionWords(db: Queryable, model: string, question: string): Promise<QuestionWord[]> {
  const sequence = contentWords(foldText(question));
  const unique = [...new Set(sequence)];
  if (unique.length === 0) return [];
  const [corrections, { total, frequency }, { rows: entries }] = await Promise.all([
    correctTypos(db, question),
    chunkFrequencies(db, model, unique),
    db.query<DictionaryEntry>('SELECT palabra, sinonimos FROM ai_diccionario_semantico WHERE activo ORDER BY id'),
  ]);
  const forms = entries.map((entry) => dictionaryForms(entry).map((form) => contentWords(form).map(stem)));
  const dictionaryWords = [...new Set(entries.flatMap((entry) => dictionaryForms(entry).flatMap(contentWords)))];
  // Words the documents never use may be misspellings of a dictionary word ("herrmano" → "hermano").
  const respelt = (word: string): string => {
    const corrected = corrections.get(word);
    if (corrected) return corrected;
    if (word.length < 5 || !/^[a-z]+$/.test(word) || (frequency.get(word) ?? 0) > 0) return word;
    if (dictionaryWords.includes(word)) return word;
    const max = word.length >= 8 ? 2 : 1;
    return dictionaryWords.find((form) => form[0] === word[0] && editDistance(word, form, max) <= max) ?? word;
  };
  const sequences = [sequence.map(stem), sequence.map((word) => stem(respelt(word)))];
  const alternatives = new Map<string, Alternative[]>(
    unique.map((word) => {
      const fixed = respelt(word);
      if (fixed === word) return [word, []];
      // A two-letter correction is a weaker guess than a one-letter one.
      const credit = editDistance(word, fixed, 1) <= 1 ? SYNONYM_CREDIT : SYNONYM_CREDIT / 2;
      return [word, [{ stems: [stem(fixed)], credit }]];
    }),
  );
  for (const entryForms of forms) {
    const positions = new Set<number>();
    const matched = new Set<number>();
    entryForms.forEach((form, index) => {
      for (const stems of sequences) {
        for (const start of runsOf(stems, form)) {
          matched.add(index);
          form.forEach((_, offset) => positions.add(start + offset));
        }
      }
    });
    if (matched.size === 0) continue;
    const others = entryForms
      .filter((form, index) => !matched.has(index) && form.length > 0)
      .map((stems) => ({ stems, credit: SYNONYM_CREDIT }));
    for (const position of positions) {
      const word = sequence[position];
      if (word !== undefined) alternatives.get(word)?.push(...others);
    }
  }
  const named = namedWords(question);
  return unique.map((word) => {
    const found = frequency.get(word) ?? 0;
    const alts = alternatives.get(word) ?? [];
    // A word no document uses, with no synonym or correction, that no article or preposition
    // introduces, is rather a verb or a modifier ("decidió", "pequeño") than the topic asked about.
    const unnamed = found === 0 && alts.length === 0 && !named.has(word);
    return {
      word,
      stem: stem(word),
      weight: idf(total, found) * (isFrameWord(word) || unnamed ? FRAME_WEIGHT : 1),
      alternatives: alts,
    };
  });
}
