import type { Database } from '../../db/database.ts';
import type { EmbeddingProvider } from '../embeddings/index.ts';
import type { JobDefinition, JobQueue } from '../jobs/index.ts';
import { unfinishedDocuments } from './manage-documents.ts';
import { processDocument } from './process-document.ts';
import type { DocumentQueue } from './upload-document.ts';

/** Queue name of the document-processing job. */
export const PROCESS_DOCUMENT_JOB = 'documentos-procesar';

/** The document-processing job: extract, chunk, embed and publish one document. */
export function documentJobs(deps: {
  db: Database;
  dataDir: string;
  provider: () => Promise<EmbeddingProvider>;
}): JobDefinition[] {
  return [
    {
      name: PROCESS_DOCUMENT_JOB,
      // Uploads wait on this job: pick each one up quickly.
      pollingIntervalSeconds: 0.5,
      run: async (data) => {
        const documentoId = Number((data as { documentoId?: unknown } | null)?.documentoId);
        if (!Number.isInteger(documentoId)) return { omitido: 'sin documentoId' };
        return processDocument({ db: deps.db, dataDir: deps.dataDir, provider: await deps.provider() }, documentoId);
      },
    },
  ];
}

/** Adapts the job queue to what uploads need. */
export function documentQueue(queue: JobQueue): DocumentQueue {
  return {
    enqueue: async (documentoId) => {
      await queue.send(PROCESS_DOCUMENT_JOB, { documentoId });
    },
  };
}

/**
 * Queues again every document left PENDIENTE or PROCESANDO, e.g. by a process killed mid-way.
 * Processing is idempotent (it replaces the document's chunks in one transaction), so a document
 * queued twice is simply processed twice. Returns the ids queued.
 */
export async function resumeUnfinishedDocuments(db: Database, queue: DocumentQueue): Promise<number[]> {
  const ids = await unfinishedDocuments(db);
  for (const id of ids) await queue.enqueue(id);
  return ids;
}
