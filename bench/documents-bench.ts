import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SearchMode } from '../src/modules/documents/index.ts';
import { createLocalEmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { type BenchTarget, openMigratedBenchDatabase } from './databases.ts';
import { benchIngestion } from './ingestion-bench.ts';
import { ingestCorpus, measureQuality, readRagItems } from './retrieval-quality.ts';
import { benchScale } from './scale-bench.ts';

const MODES: SearchMode[] = ['hibrido', 'vectorial', 'texto'];
/** Copies of each corpus file for the ingestion throughput (8 files: 400 documents). */
const COPIES = 50;

/**
 * The documents suite, per database: retrieval quality on the dev set (corpus ingested through the use
 * cases), then search latency and HNSW recall with the same store grown to `chunks`, then ingestion
 * throughput in fresh databases.
 */
export async function benchDocuments(options: {
  targets: readonly BenchTarget[];
  chunks: number;
  log: (message: string) => void;
}): Promise<object> {
  const { log } = options;
  const items = await readRagItems();
  const provider = createLocalEmbeddingProvider();
  const calidad: Record<string, object> = {};
  const busqueda: Record<string, object> = {};
  const ingesta: Record<string, object> = {};
  for (const target of options.targets) {
    const { db, close } = await openMigratedBenchDatabase(target);
    const dataDir = await mkdtemp(path.join(tmpdir(), 'rc-bench-documentos-'));
    try {
      log(`calidad de recuperación en ${target}`);
      const corpus = await ingestCorpus(db, dataDir, provider);
      const modes: Record<string, object> = {};
      for (const mode of MODES) {
        const { fallos, ...quality } = await measureQuality(db, provider, items, mode);
        modes[mode] = { ...quality, fallos: fallos.map((fallo) => fallo.id) };
      }
      calidad[target] = { corpus, preguntas: items.length, ...modes };
      busqueda[`${target}_${options.chunks}`] = await benchScale({ db, provider, items, chunks: options.chunks, log });
    } finally {
      await close();
      await rm(dataDir, { recursive: true, force: true });
    }
    log(`ingesta de ${COPIES} copias del corpus en ${target}`);
    ingesta[target] = await benchIngestion({ target, copies: COPIES });
  }
  const [first, ...others] = Object.values(calidad).map((entry) => JSON.stringify({ ...entry, corpus: undefined }));
  return {
    modelo_embedding: provider.model,
    calidad: { igual_en_todas_las_bases: others.every((other) => other === first), ...calidad },
    ingesta,
    busqueda,
  };
}
