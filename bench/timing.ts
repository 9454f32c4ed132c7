import type { Database } from '../src/db/database.ts';
import type { EmbeddingProvider } from '../src/modules/embeddings/index.ts';

/** Milliseconds accumulated by a timed wrapper. */
export interface Stopwatch {
  ms: number;
}

/** The same database, adding the time spent in each statement and transaction to `stopwatch`. */
export function timedDatabase(db: Database, stopwatch: Stopwatch): Database {
  const time = async <T>(work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      stopwatch.ms += performance.now() - started;
    }
  };
  return {
    ...db,
    query: (text, params) => time(() => db.query(text, params)),
    queryArrays: (text, params) => time(() => db.queryArrays(text, params)),
    exec: (script) => time(() => db.exec(script)),
    transaction: (work) => time(() => db.transaction(work)),
    copyFrom: (table, columns, csv) => time(() => db.copyFrom(table, columns, csv)),
  };
}

/** The same provider, adding the time spent embedding to `stopwatch`. */
export function timedProvider(provider: EmbeddingProvider, stopwatch: Stopwatch): EmbeddingProvider {
  return {
    model: provider.model,
    dimensions: provider.dimensions,
    async embedDocuments(texts) {
      const started = performance.now();
      const vectors = await provider.embedDocuments(texts);
      stopwatch.ms += performance.now() - started;
      return vectors;
    },
    embedQuery: (text) => provider.embedQuery(text),
  };
}

/** The same database with index scans off in every transaction: vector searches become exact scans. */
export function exactSearchDatabase(db: Database): Database {
  return {
    ...db,
    transaction: (work) =>
      db.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_indexscan = off');
        return work(tx);
      }),
  };
}

/** Rounds to `digits` decimals (3 by default). */
export const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/** p50, p95 and mean of a list of durations in milliseconds. */
export function summarise(durations: readonly number[]): { p50_ms: number; p95_ms: number; media_ms: number } {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? 0;
  const mean = sorted.reduce((total, value) => total + value, 0) / Math.max(1, sorted.length);
  return { p50_ms: round(at(0.5), 1), p95_ms: round(at(0.95), 1), media_ms: round(mean, 1) };
}
