import type { Database } from '../src/db/database.ts';
import { searchDocuments, type SearchMode } from '../src/modules/documents/index.ts';
import type { EmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { round, summarise } from './timing.ts';

/** Results kept per question: `documento_id:chunk_index` of each hit, in rank order. */
export type ResultsByQuestion = Map<string, string[]>;

/**
 * Latency of `searchDocuments` (k = 10) in one mode: the questions in turn, repeated up to `queries`
 * searches, stopping early once `budgetMs` is spent (after at least `minimum`). One warm-up search
 * is not counted. Returns the first results of each question, to compare two runs.
 */
export async function measureSearchLatency(options: {
  db: Database;
  provider: EmbeddingProvider;
  questions: readonly string[];
  mode: SearchMode;
  queries: number;
  budgetMs: number;
  minimum?: number;
}): Promise<{ report: object; results: ResultsByQuestion }> {
  const { db, provider, questions, mode } = options;
  const search = (question: string) => searchDocuments(db, provider, question, { k: 10, mode });
  await search(questions[0] ?? '');
  const durations: number[] = [];
  const results: ResultsByQuestion = new Map();
  const started = performance.now();
  for (let n = 0; n < options.queries; n++) {
    if (n >= (options.minimum ?? 5) && performance.now() - started > options.budgetMs) break;
    const question = questions[n % questions.length] ?? '';
    const before = performance.now();
    const found = await search(question);
    durations.push(performance.now() - before);
    if (!results.has(question))
      results.set(
        question,
        found.map((hit) => `${hit.documento_id}:${hit.chunk_index}`),
      );
  }
  return {
    report: { consultas: durations.length, ...summarise(durations) },
    results,
  };
}

/** Mean share of `exact`'s results that `approximate` also returned, over the questions both answered. */
export function resultRecall(approximate: ResultsByQuestion, exact: ResultsByQuestion): number {
  const shares: number[] = [];
  for (const [question, expected] of exact) {
    const found = approximate.get(question);
    if (!found || expected.length === 0) continue;
    shares.push(expected.filter((key) => found.includes(key)).length / expected.length);
  }
  return round(shares.reduce((total, share) => total + share, 0) / Math.max(1, shares.length));
}
