import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { AppError } from '../errors.ts';
import {
  type DocumentRecord,
  type ProcessReport,
  type SearchMode,
  type SearchResult,
  deleteDocument,
  documentJobs,
  documentQueue,
  getDocument,
  listDocuments,
  processDocument,
  readDocumentSettings,
  reprocessDocument,
  resumeUnfinishedDocuments,
  searchDocuments,
  updateDocument,
  uploadDocument,
} from '../modules/documents/index.ts';
import { lazyEmbeddingProvider } from '../modules/embeddings/index.ts';
import { type JobQueue, startJobQueue } from '../modules/jobs/index.ts';
import { type CommandContext, printResult, withDatabase } from './context.ts';

const MODES = ['hibrido', 'vectorial', 'texto'] as const;
const questionLine = z.object({ pregunta: z.string().trim().min(1, 'la pregunta está vacía') });

function positiveInteger(raw: string, name: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError('INVALID_INPUT', `${name} debe ser un número entero positivo (recibido «${raw}»).`);
  }
  return value;
}

function describe(document: DocumentRecord): string {
  const state =
    document.estado_procesamiento + (document.error_procesamiento ? `: ${document.error_procesamiento}` : '');
  const pages = document.paginas ? `, ${document.paginas} páginas` : '';
  return (
    `#${document.id} ${document.titulo} (${document.nombre_archivo}, ${document.tipo_archivo}${pages}, ` +
    `${document.chunks} chunks) ${document.activo ? 'activo' : 'inactivo'} — ${state}`
  );
}

function describeResults(results: SearchResult[]): string {
  if (results.length === 0) return 'Ningún pasaje encontrado.';
  return results
    .map((result, rank) => {
      const page = result.pagina ? `, p. ${result.pagina}` : '';
      const excerpt = result.texto.replace(/\s+/g, ' ').slice(0, 240);
      return `${rank + 1}. [${result.score.toFixed(4)}] ${result.titulo}${page} (#${result.documento_id}, chunk ${result.chunk_index})\n   ${excerpt}`;
    })
    .join('\n');
}

/** Runs the document job in this process until every document in `ids` has finished (or failed). */
function jobsFor({ db, config }: CommandContext) {
  return documentJobs({ db, dataDir: config.dataDir, provider: lazyEmbeddingProvider(config.embeddings) });
}

async function processNow(context: CommandContext, ids: readonly number[]): Promise<DocumentRecord[]> {
  const { db, config } = context;
  const queue = await startJobQueue({ db, jobs: jobsFor(context), timeZone: config.timeZone, work: true });
  try {
    for (;;) {
      const documents = await Promise.all(ids.map((id) => getDocument(db, id)));
      if (documents.every((d) => d.estado_procesamiento === 'PROCESADO' || d.estado_procesamiento === 'ERROR')) {
        return documents;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await queue.stop();
  }
}

async function withQueue<T>(context: CommandContext, body: (queue: JobQueue) => Promise<T>): Promise<T> {
  const { db, config } = context;
  const queue = await startJobQueue({ db, jobs: jobsFor(context), timeZone: config.timeZone, work: false });
  try {
    return await body(queue);
  } finally {
    await queue.stop();
  }
}

async function readUpload(db: Database, dataDir: string, file: string): Promise<Buffer> {
  const { maxBytes } = await readDocumentSettings(db, dataDir);
  const info = await stat(file).catch(() => {
    throw new AppError('INVALID_INPUT', `No se encuentra el archivo ${file}.`);
  });
  if (!info.isFile()) throw new AppError('INVALID_INPUT', `${file} no es un archivo.`);
  if (info.size > maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `El archivo "${path.basename(file)}" pesa ${(info.size / 1024 / 1024).toFixed(1)} MB; el máximo es ` +
        `${(maxBytes / 1024 / 1024).toFixed(0)} MB.`,
    );
  }
  return readFile(file);
}

async function searchFile(context: CommandContext, file: string, k: number, mode: SearchMode): Promise<void> {
  const provider = await lazyEmbeddingProvider(context.config.embeddings)();
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim()) continue;
    let pregunta: string;
    try {
      pregunta = questionLine.parse(JSON.parse(line)).pregunta;
    } catch {
      throw new AppError('INVALID_INPUT', `Línea ${number} de ${file}: se esperaba {"pregunta": "..."}.`);
    }
    const resultados = await searchDocuments(context.db, provider, pregunta, { k, mode });
    console.log(JSON.stringify({ pregunta, resultados }));
  }
}

/** `docs`: upload, list, search, re-index and remove policy documents. */
export function registerDocsCommand(program: Command): void {
  const docs = program.command('docs').description('Documentos de la empresa (subida, búsqueda, gestión)');

  docs
    .command('add')
    .description('Sube documentos (PDF, DOCX, TXT, Markdown, HTML) y encola su procesamiento')
    .argument('<archivos...>', 'archivos a subir')
    .option('--titulo <titulo>', 'título (si no, se deriva del nombre del archivo)')
    .option('--descripcion <texto>', 'descripción')
    .option('--wait', 'procesa aquí mismo y espera a que terminen')
    .action(
      async (files: string[], options: { titulo?: string; descripcion?: string; wait?: boolean }, command: Command) => {
        await withDatabase(command, async (context) => {
          const { db, config, json } = context;
          const uploaded: { archivo: string; documento?: DocumentRecord; duplicado?: boolean; error?: string }[] = [];
          await withQueue(context, async (queue) => {
            for (const file of files) {
              try {
                const bytes = await readUpload(db, config.dataDir, file);
                const result = await uploadDocument(
                  { db, dataDir: config.dataDir, queue: documentQueue(queue) },
                  {
                    bytes,
                    nombreArchivo: path.basename(file),
                    titulo: options.titulo,
                    descripcion: options.descripcion,
                  },
                );
                uploaded.push({ archivo: file, ...result });
              } catch (error) {
                if (!(error instanceof AppError)) throw error;
                uploaded.push({ archivo: file, error: error.message });
              }
            }
          });
          const ids = uploaded.flatMap((entry) => (entry.documento && !entry.duplicado ? [entry.documento.id] : []));
          if (options.wait && ids.length > 0) {
            const finished = new Map((await processNow(context, ids)).map((document) => [document.id, document]));
            for (const entry of uploaded) {
              if (entry.documento) entry.documento = finished.get(entry.documento.id) ?? entry.documento;
            }
          }
          if (uploaded.some((entry) => entry.error || entry.documento?.estado_procesamiento === 'ERROR')) {
            process.exitCode = 1;
          }
          if (!json) {
            for (const entry of uploaded) if (entry.error) console.error(`Error: ${entry.archivo}: ${entry.error}`);
          }
          printResult(json, uploaded, () =>
            uploaded
              .flatMap((entry) =>
                entry.documento
                  ? [`${entry.archivo}: ${entry.duplicado ? 'ya existía como ' : ''}${describe(entry.documento)}`]
                  : [],
              )
              .concat(
                options.wait
                  ? []
                  : ['El procesamiento queda en cola: lo hace el worker (serve/start) o docs add --wait.'],
              )
              .join('\n'),
          );
        });
      },
    );

  docs
    .command('list')
    .description('Lista los documentos')
    .option('--estado <estado>', 'PENDIENTE, PROCESANDO, PROCESADO o ERROR')
    .option('--inactivos', 'solo los desactivados')
    .option('--activos', 'solo los activos')
    .action(async (options: { estado?: string; inactivos?: boolean; activos?: boolean }, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const estado = options.estado?.toUpperCase();
        if (estado && !['PENDIENTE', 'PROCESANDO', 'PROCESADO', 'ERROR'].includes(estado)) {
          throw new AppError('INVALID_INPUT', `Estado desconocido «${options.estado}».`);
        }
        const documents = await listDocuments(db, {
          estado: estado as DocumentRecord['estado_procesamiento'] | undefined,
          activo: options.activos ? true : options.inactivos ? false : undefined,
          limit: 1000,
        });
        printResult(json, documents, () =>
          documents.length ? documents.map(describe).join('\n') : 'No hay documentos.',
        );
      });
    });

  docs
    .command('show')
    .description('Muestra un documento')
    .argument('<id>', 'id del documento')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withDatabase(command, async ({ db, json }) => {
        const document = await getDocument(db, positiveInteger(id, 'El id'));
        printResult(json, document, () => describe(document));
      });
    });

  docs
    .command('update')
    .description('Cambia título o descripción, o activa/desactiva un documento')
    .argument('<id>', 'id del documento')
    .option('--titulo <titulo>', 'nuevo título')
    .option('--descripcion <texto>', 'nueva descripción')
    .option('--activar', 'vuelve a incluirlo en las búsquedas')
    .option('--desactivar', 'lo excluye de las búsquedas')
    .action(
      async (
        id: string,
        options: { titulo?: string; descripcion?: string; activar?: boolean; desactivar?: boolean },
        command: Command,
      ) => {
        if (options.activar && options.desactivar) {
          throw new AppError('INVALID_INPUT', 'Use --activar o --desactivar, no ambos.');
        }
        await withDatabase(command, async ({ db, json }) => {
          const document = await updateDocument(db, positiveInteger(id, 'El id'), {
            titulo: options.titulo,
            descripcion: options.descripcion,
            activo: options.activar ? true : options.desactivar ? false : undefined,
          });
          printResult(json, document, () => describe(document));
        });
      },
    );

  docs
    .command('reprocess')
    .description('Vuelve a extraer e indexar un documento')
    .argument('<id>', 'id del documento')
    .option('--wait', 'procesa aquí mismo y espera a que termine')
    .action(async (id: string, options: { wait?: boolean }, command: Command) => {
      await withDatabase(command, async (context) => {
        const documentId = positiveInteger(id, 'El id');
        let document = await withQueue(context, (queue) =>
          reprocessDocument(context.db, documentQueue(queue), documentId),
        );
        if (options.wait) [document] = (await processNow(context, [documentId])) as [DocumentRecord];
        printResult(context.json, document, () => describe(document));
      });
    });

  docs
    .command('search')
    .description('Busca pasajes en los documentos activos (búsqueda híbrida)')
    .argument('[pregunta]', 'pregunta en lenguaje natural')
    .option('--file <archivo>', 'archivo JSONL con líneas {"pregunta": "..."}; escribe una línea por pregunta')
    .option('--k <n>', 'cuántos pasajes', '5')
    .option('--modo <modo>', 'hibrido, vectorial o texto', 'hibrido')
    .action(
      async (pregunta: string | undefined, options: { file?: string; k: string; modo: string }, command: Command) => {
        if (!pregunta?.trim() && !options.file) {
          throw new AppError('INVALID_INPUT', 'Indique una pregunta entre comillas o un archivo con --file.');
        }
        const k = positiveInteger(options.k, '--k');
        if (!MODES.includes(options.modo as SearchMode)) {
          throw new AppError('INVALID_INPUT', `--modo debe ser ${MODES.join(', ')}.`);
        }
        const mode = options.modo as SearchMode;
        await withDatabase(command, async (context) => {
          if (options.file) return searchFile(context, options.file, k, mode);
          const provider = await lazyEmbeddingProvider(context.config.embeddings)();
          const results = await searchDocuments(context.db, provider, pregunta ?? '', { k, mode });
          printResult(context.json, results, () => describeResults(results));
        });
      },
    );

  docs
    .command('reindex')
    .description('Vuelve a calcular los embeddings de todos los documentos con el modelo configurado')
    .action(async (_options: unknown, command: Command) => {
      await withDatabase(command, async ({ db, config, json }) => {
        const provider = await lazyEmbeddingProvider(config.embeddings)();
        const documents = await listDocuments(db, { limit: 100_000 });
        const reports: ProcessReport[] = [];
        for (const document of documents) {
          try {
            reports.push(await processDocument({ db, dataDir: config.dataDir, provider }, document.id));
          } catch (error) {
            // A temporary failure (the embedding service...): the document keeps its previous chunks
            // and stays PENDIENTE for the worker; the other documents go on.
            const message = error instanceof Error ? error.message : String(error);
            reports.push({ documentoId: document.id, estado: 'PENDIENTE', chunks: 0, paginas: null, error: message });
          }
        }
        printResult(json, { modelo: provider.model, documentos: reports }, () =>
          [
            `Modelo de embeddings: ${provider.model} (${provider.dimensions} dimensiones).`,
            ...reports.map(
              (report) =>
                `#${report.documentoId}: ${report.estado}${report.error ? ` — ${report.error}` : `, ${report.chunks} chunks`}`,
            ),
          ].join('\n'),
        );
        if (reports.some((report) => report.error)) process.exitCode = 1;
      });
    });

  docs
    .command('remove')
    .description('Elimina un documento, su archivo y sus chunks')
    .argument('<id>', 'id del documento')
    .action(async (id: string, _options: unknown, command: Command) => {
      await withDatabase(command, async ({ db, config, json }) => {
        const document = await deleteDocument(db, config.dataDir, positiveInteger(id, 'El id'));
        printResult(
          json,
          { eliminado: document.id },
          () => `Documento #${document.id} (${document.titulo}) eliminado.`,
        );
      });
    });

  docs
    .command('resume')
    .description('Vuelve a encolar los documentos pendientes o interrumpidos')
    .action(async (_options: unknown, command: Command) => {
      await withDatabase(command, async (context) => {
        const ids = await withQueue(context, (queue) => resumeUnfinishedDocuments(context.db, documentQueue(queue)));
        printResult(
          context.json,
          { encolados: ids },
          () => `Documentos encolados de nuevo: ${ids.join(', ') || 'ninguno'}.`,
        );
      });
    });
}
