import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import {
  type ChunkingOptions,
  processDocument,
  searchDocuments,
  type SearchMode,
  uploadDocument,
} from '../src/modules/documents/index.ts';
import type { EmbeddingProvider } from '../src/modules/embeddings/index.ts';

export const CORPUS_DIR = new URL('../../shared/corpus/documentos/', import.meta.url);
export const RAG_DEV_SET = new URL('../../shared/eval/rag-dev.jsonl', import.meta.url);

export interface RagItem {
  id: string;
  pregunta: string;
  evidencia: string;
  dificultad: string;
}

export async function readRagItems(file: URL = RAG_DEV_SET): Promise<RagItem[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as RagItem);
}

/** Uploads and processes every corpus file synchronously (no queue); returns pages and chunks. */
export async function ingestCorpus(
  db: Database,
  dataDir: string,
  provider: EmbeddingProvider,
  chunking?: ChunkingOptions,
): Promise<{ documentos: number; paginas: number; chunks: number }> {
  const files = (await readdir(CORPUS_DIR)).sort();
  let paginas = 0;
  let chunks = 0;
  for (const file of files) {
    const bytes = await readFile(new URL(file, CORPUS_DIR));
    const { documento } = await uploadDocument(
      { db, dataDir, queue: { enqueue: async () => {} } },
      { bytes, nombreArchivo: path.basename(file) },
    );
    const report = await processDocument({ db, dataDir, provider, chunking }, documento.id);
    if (report.estado !== 'PROCESADO') throw new Error(`${file}: ${report.error}`);
    paginas += report.paginas ?? 1;
    chunks += report.chunks;
  }
  return { documentos: files.length, paginas, chunks };
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

export interface QualityReport {
  recall_at_5: number;
  mrr_at_10: number;
  por_dificultad: Record<string, { preguntas: number; recall_at_5: number; mrr_at_10: number }>;
  fallos: { id: string; pregunta: string; rango: number | null }[];
}

/** Recall@5 and MRR@10 on the dev set: a hit is a result whose text contains the evidence. */
export async function measureQuality(
  db: Database,
  provider: EmbeddingProvider,
  items: readonly RagItem[],
  mode: SearchMode,
): Promise<QualityReport> {
  const groups = new Map<string, { n: number; hits: number; rr: number }>();
  const fallos: QualityReport['fallos'] = [];
  let hits = 0;
  let rr = 0;
  for (const item of items) {
    const results = await searchDocuments(db, provider, item.pregunta, { k: 10, mode });
    const evidence = normalise(item.evidencia);
    const rank = results.findIndex((result) => normalise(result.texto).includes(evidence));
    const group = groups.get(item.dificultad) ?? { n: 0, hits: 0, rr: 0 };
    group.n++;
    if (rank >= 0 && rank < 5) {
      hits++;
      group.hits++;
    } else fallos.push({ id: item.id, pregunta: item.pregunta, rango: rank >= 0 ? rank + 1 : null });
    if (rank >= 0) {
      rr += 1 / (rank + 1);
      group.rr += 1 / (rank + 1);
    }
    groups.set(item.dificultad, group);
  }
  const round = (value: number) => Number(value.toFixed(3));
  return {
    recall_at_5: round(hits / items.length),
    mrr_at_10: round(rr / items.length),
    por_dificultad: Object.fromEntries(
      [...groups].map(([key, g]) => [
        key,
        { preguntas: g.n, recall_at_5: round(g.hits / g.n), mrr_at_10: round(g.rr / g.n) },
      ]),
    ),
    fallos,
  };
}
