import type { Database, Queryable } from '../src/db/database.ts';
import { vectorLiteral } from '../src/db/vector-search.ts';
import { round, summarise } from './timing.ts';

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** The scans of a statement's plan, e.g. `Index Scan using documento_ai_embeddings_hnsw_1024`. */
export async function planScans(db: Queryable, sql: string, params: readonly unknown[]): Promise<string[]> {
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  const raw = rows[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  const scans: string[] = [];
  const visit = (node: PlanNode) => {
    const type = node['Node Type'] ?? '';
    if (node['Index Name']) scans.push(`${type} using ${node['Index Name']}`);
    else if (node['Relation Name']) scans.push(`${type} on ${node['Relation Name']}`);
    node.Plans?.forEach(visit);
  };
  plan.forEach((entry) => visit(entry.Plan));
  return scans;
}

interface Neighbour {
  id: number;
  distancia: number;
}

const K = 10;
/** A neighbour as close as the exact k-th one counts as found (vectors of equal texts tie). */
const TIE = 1e-6;

/**
 * HNSW recall@10 against exact search on the whole store: for each query vector, the 10 nearest chunks
 * by the index (`hnsw.ef_search` = each of `efSearch`) and with index scans off (exact), timed alike.
 */
export async function measureHnswRecall(options: {
  db: Database;
  dimensions: number;
  /** Query vectors, each with the group it is reported under (e.g. questions, corpus sentences). */
  queries: readonly { grupo: string; vector: readonly number[] }[];
  efSearch: readonly number[];
}): Promise<object> {
  const { db, dimensions } = options;
  const distance = `(embedding::vector(${dimensions})) <=> ($1::vector(${dimensions}))`;
  const sql = `SELECT id, ${distance} AS distancia FROM documento_ai_embeddings
                WHERE dimensiones = ${dimensions} ORDER BY ${distance} LIMIT ${K}`;
  const exactSettings = ['SET LOCAL enable_indexscan = off'];
  // The index is forced (no sequential or bitmap scan) so that its recall is measured even where the
  // planner would rather scan; `planificador` shows what the planner picks on its own.
  const hnswSettings = (ef: number) => [
    'SET LOCAL enable_seqscan = off',
    'SET LOCAL enable_bitmapscan = off',
    `SET LOCAL hnsw.ef_search = ${ef}`,
  ];
  const inTransaction = <T>(settings: readonly string[], work: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      for (const setting of settings) await tx.query(setting);
      return work(tx);
    });
  const nearest = (literal: string, settings: readonly string[]) =>
    inTransaction(settings, async (tx) => {
      const started = performance.now();
      const { rows } = await tx.query<Neighbour>(sql, [literal]);
      return {
        rows: rows.map((row) => ({ id: row.id, distancia: Number(row.distancia) })),
        ms: performance.now() - started,
      };
    });
  const probe = [vectorLiteral('pgvector', options.queries[0]?.vector ?? [])];
  const plans: Record<string, string[]> = {
    planificador: await planScans(db, sql, probe),
    exacta: await inTransaction(exactSettings, (tx) => planScans(tx, sql, probe)),
  };
  for (const ef of options.efSearch) {
    plans[`hnsw_ef_search_${ef}`] = await inTransaction(hnswSettings(ef), (tx) => planScans(tx, sql, probe));
  }

  const exactMs: number[] = [];
  const perEf = options.efSearch.map((ef) => ({
    ef,
    ms: [] as number[],
    byDistance: 0,
    byId: 0,
    byGroup: new Map<string, { n: number; recall: number }>(),
  }));
  for (const query of options.queries) {
    const literal = vectorLiteral('pgvector', query.vector);
    const exact = await nearest(literal, exactSettings);
    exactMs.push(exact.ms);
    const kth = exact.rows.at(-1)?.distancia ?? Infinity;
    const exactIds = new Set(exact.rows.map((row) => row.id));
    for (const entry of perEf) {
      const found = await nearest(literal, hnswSettings(entry.ef));
      entry.ms.push(found.ms);
      const recall = found.rows.filter((row) => row.distancia <= kth + TIE).length / K;
      entry.byDistance += recall;
      entry.byId += found.rows.filter((row) => exactIds.has(row.id)).length / K;
      const group = entry.byGroup.get(query.grupo) ?? { n: 0, recall: 0 };
      entry.byGroup.set(query.grupo, { n: group.n + 1, recall: group.recall + recall });
    }
  }
  const queries = options.queries.length;
  const exactSummary = summarise(exactMs);
  return {
    consultas: queries,
    k: K,
    plan: plans,
    exacta: exactSummary,
    ef_search: Object.fromEntries(
      perEf.map((entry) => {
        const summary = summarise(entry.ms);
        return [
          entry.ef,
          {
            recall_at_10: round(entry.byDistance / queries),
            recall_at_10_por_id: round(entry.byId / queries),
            recall_at_10_por_grupo: Object.fromEntries(
              [...entry.byGroup].map(([grupo, group]) => [grupo, round(group.recall / group.n)]),
            ),
            ...summary,
            ratio_exacta_vs_hnsw: round(exactSummary.media_ms / summary.media_ms, 2),
          },
        ];
      }),
    ),
    recall_nota: 'recall_at_10 cuenta como hallado un vecino tan cercano como el 10.º exacto (empates por distancia)',
  };
}
