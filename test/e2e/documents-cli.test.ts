import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type CliResult, runCli, startCli, stopCli } from '../support/cli.ts';
import { createServerDatabase, onServer } from '../support/database.ts';
import { type EmbeddingsServer, startEmbeddingsServer } from '../support/embeddings-server.ts';
import { spawnCli } from '../support/spawn-cli.ts';

const corpus = (name: string) =>
  fileURLToPath(new URL(name, new URL('../../../shared/corpus/documentos/', import.meta.url)));
const COLLECTION_MANUAL = corpus('manual-cobranza.pdf');
const DATA_POLICY = corpus('politica-proteccion-datos.md');
const LETTER_QUESTION = '¿Qué día se envía la Carta N.º 1 de recordatorio formal?';
const CONSENT_QUESTION = '¿En qué plazo se aplica la revocación del consentimiento de mercadeo?';
/** The text the OpenAI-compatible provider embeds once to learn an unknown model's dimensions. */
const PROBE_TEXT = 'dimensiones';

interface DocumentJson {
  id: number;
  titulo: string;
  nombre_archivo: string;
  tipo_archivo: string;
  activo: boolean;
  contenido_procesado: boolean;
  estado_procesamiento: string;
  error_procesamiento: string | null;
  intentos_procesamiento: number;
  paginas: number | null;
  chunks: number;
}
interface AddedJson {
  archivo: string;
  documento?: DocumentJson;
  duplicado?: boolean;
  error?: string;
}
interface ResultJson {
  documento_id: number;
  titulo: string;
  nombre_archivo: string;
  chunk_index: number;
  pagina: number | null;
  score: number;
  texto: string;
}

/** A fresh place for CLI runs: a temporary PGlite folder, or a new server database plus a files folder. */
async function freshDataFolder(): Promise<{
  env: Record<string, string>;
  dataDir: string;
  remove: () => Promise<void>;
}> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'rc-docs-cli-'));
  const dataDir = path.join(workDir, 'data');
  const server = onServer ? await createServerDatabase() : undefined;
  return {
    env: { RAPICREDIT_DATA_DIR: dataDir, ...(server ? { DATABASE_URL: server.url } : {}) },
    dataDir,
    async remove() {
      await server?.drop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

function parsed<T>(result: CliResult): T {
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

function storedFiles(dataDir: string): string[] {
  try {
    return readdirSync(path.join(dataDir, 'uploads', 'documentos_ai'));
  } catch {
    return [];
  }
}

function assertCitablePassage(result: ResultJson): void {
  assert.ok(Number.isInteger(result.documento_id) && result.documento_id > 0, JSON.stringify(result));
  assert.equal(typeof result.titulo, 'string');
  assert.equal(typeof result.nombre_archivo, 'string');
  assert.ok(Number.isInteger(result.chunk_index) && result.chunk_index >= 0);
  assert.ok(result.pagina === null || Number.isInteger(result.pagina));
  assert.ok(typeof result.score === 'number' && result.score > 0);
  assert.ok(typeof result.texto === 'string' && result.texto.trim().length > 0);
}

describe('docs command line', () => {
  let env: Record<string, string>;
  let dataDir: string;
  let remove: () => Promise<void>;
  let manual: DocumentJson;
  let policy: DocumentJson;

  /** Runs `docs <args> --json` on this file's data. */
  const docs = (...args: string[]) => runCli(['docs', ...args, '--json'], env);
  const search = async (question: string, k = 3) =>
    parsed<ResultJson[]>(await docs('search', question, '--k', String(k)));

  before(async () => {
    ({ env, dataDir, remove } = await freshDataFolder());
  });
  after(() => remove());

  test('docs add --wait processes a PDF and a Markdown file from the corpus', async () => {
    const added = parsed<AddedJson[]>(await docs('add', COLLECTION_MANUAL, DATA_POLICY, '--wait'));
    assert.deepEqual(
      added.map((entry) => [entry.archivo, entry.duplicado, entry.error]),
      [
        [COLLECTION_MANUAL, false, undefined],
        [DATA_POLICY, false, undefined],
      ],
    );
    [manual, policy] = added.map((entry) => entry.documento) as [DocumentJson, DocumentJson];
    for (const document of [manual, policy]) {
      assert.equal(document.estado_procesamiento, 'PROCESADO', document.error_procesamiento ?? '');
      assert.equal(document.contenido_procesado, true);
      assert.ok(document.chunks > 0);
    }
    assert.deepEqual([manual.tipo_archivo, manual.paginas, manual.titulo], ['pdf', 4, 'Manual de Cobranza']);
    assert.deepEqual([policy.tipo_archivo, policy.paginas], ['md', null]);
    assert.equal(storedFiles(dataDir).length, 2);
  });

  test('the same file added again is reported as duplicado of the existing document', async () => {
    const [again] = parsed<AddedJson[]>(await docs('add', COLLECTION_MANUAL, '--wait'));
    assert.equal(again?.duplicado, true);
    assert.equal(again?.documento?.id, manual.id);
    assert.equal(again?.documento?.estado_procesamiento, 'PROCESADO');
    const listed = parsed<DocumentJson[]>(await docs('list'));
    assert.deepEqual(listed.map((document) => document.id).sort(), [manual.id, policy.id].sort());
    assert.deepEqual(
      listed.map((document) => [document.estado_procesamiento, document.activo]),
      [
        ['PROCESADO', true],
        ['PROCESADO', true],
      ],
    );
    assert.equal(storedFiles(dataDir).length, 2, 'no second copy of the file');
  });

  test('docs search --json returns citable passages, a PDF hit with its page', async () => {
    const results = await search(LETTER_QUESTION, 3);
    assert.equal(results.length, 3);
    results.forEach(assertCitablePassage);
    assert.deepEqual(
      results.map((result) => result.score),
      results.map((result) => result.score).sort((a, b) => b - a),
      'best first',
    );
    const [best] = results;
    assert.equal(best?.documento_id, manual.id);
    assert.equal(best?.nombre_archivo, 'manual-cobranza.pdf');
    assert.equal(best?.titulo, 'Manual de Cobranza');
    assert.equal(best?.pagina, 3);
    assert.match(best?.texto ?? '', /Carta N\.º 1/);
  });

  test('docs search --file answers one JSON line per question', async () => {
    const file = path.join(dataDir, 'preguntas.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ pregunta: LETTER_QUESTION })}\n\n${JSON.stringify({ pregunta: CONSENT_QUESTION })}\n`,
    );
    const result = await runCli(['docs', 'search', '--file', file, '--k', '2', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { pregunta: string; resultados: ResultJson[] });
    assert.deepEqual(
      lines.map((line) => [line.pregunta, line.resultados.length]),
      [
        [LETTER_QUESTION, 2],
        [CONSENT_QUESTION, 2],
      ],
    );
    lines.flatMap((line) => line.resultados).forEach(assertCitablePassage);
    assert.equal(lines[0]?.resultados[0]?.documento_id, manual.id);
    assert.equal(lines[1]?.resultados[0]?.documento_id, policy.id);
    assert.match(lines[1]?.resultados[0]?.texto ?? '', /5 días hábiles/);
  });

  test('a malformed line in the --file questions stops with a Spanish error naming the line', async () => {
    const file = path.join(dataDir, 'preguntas-malas.jsonl');
    writeFileSync(file, `${JSON.stringify({ pregunta: LETTER_QUESTION })}\n{"question": "¿mora?"}\n`);
    const result = await runCli(['docs', 'search', '--file', file, '--json'], env);
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.includes(`Línea 2 de ${file}: se esperaba {"pregunta": "..."}.`),
      `stderr: ${result.stderr}`,
    );
  });

  test('docs reindex re-embeds every document once and reports each PROCESADO', async () => {
    const report = parsed<{ modelo: string; documentos: { documentoId: number; estado: string; chunks: number }[] }>(
      await docs('reindex'),
    );
    assert.match(report.modelo, /^local-/);
    assert.deepEqual(
      report.documentos.map((entry) => [entry.documentoId, entry.estado, entry.chunks]).sort(),
      [
        [manual.id, 'PROCESADO', manual.chunks],
        [policy.id, 'PROCESADO', policy.chunks],
      ].sort(),
    );
    const shown = parsed<DocumentJson>(await docs('show', String(manual.id)));
    assert.equal(shown.chunks, manual.chunks, 'chunks replaced, not added');
  });

  test('docs update --desactivar takes a document out of the search', async () => {
    const updated = parsed<DocumentJson>(await docs('update', String(manual.id), '--desactivar'));
    assert.equal(updated.activo, false);
    const results = await search(LETTER_QUESTION, 10);
    assert.ok(results.length > 0, 'the other document still answers');
    assert.ok(!results.some((result) => result.documento_id === manual.id), JSON.stringify(results));
  });

  test('docs remove deletes the document, its chunks and its file', async () => {
    const before = storedFiles(dataDir);
    assert.deepEqual(parsed(await docs('remove', String(policy.id))), { eliminado: policy.id });
    const shown = await docs('show', String(policy.id));
    assert.equal(shown.code, 1);
    assert.match(shown.stderr, new RegExp(`No existe el documento ${policy.id}\\.`));
    assert.equal(storedFiles(dataDir).length, before.length - 1);
    assert.ok(!(await search(CONSENT_QUESTION, 10)).some((result) => result.documento_id === policy.id));
    assert.deepEqual(
      parsed<DocumentJson[]>(await docs('list')).map((document) => document.id),
      [manual.id],
    );
  });

  test('an unsupported file is refused in Spanish with exit code 1 and nothing is stored', async () => {
    const png = path.join(dataDir, 'foto.png');
    writeFileSync(png, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]));
    const filesBefore = storedFiles(dataDir);
    const result = await docs('add', png, '--wait');
    assert.equal(result.code, 1);
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        archivo: png,
        error: 'Tipo de archivo no admitido (imagen PNG). Se aceptan PDF, DOCX, TXT, Markdown y HTML.',
      },
    ]);
    assert.deepEqual(storedFiles(dataDir), filesBefore);
    assert.equal(parsed<DocumentJson[]>(await docs('list')).length, 1);
  });

  test('a path that does not exist is reported in Spanish with exit code 1', async () => {
    const missing = path.join(dataDir, 'no-existe.pdf');
    const result = await runCli(['docs', 'add', missing], env);
    assert.equal(result.code, 1);
    assert.ok(`${result.stdout}${result.stderr}`.includes(`No se encuentra el archivo ${missing}.`), result.stdout);
  });
});

describe('a document whose processing was interrupted by a crash', () => {
  let env: Record<string, string>;
  let remove: () => Promise<void>;
  let embeddings: EmbeddingsServer;

  before(async () => {
    let dataEnv: Record<string, string>;
    ({ env: dataEnv, remove } = await freshDataFolder());
    embeddings = await startEmbeddingsServer();
    env = {
      ...dataEnv,
      RAPICREDIT_EMBEDDINGS_PROVEEDOR: 'openai',
      RAPICREDIT_EMBEDDINGS_MODELO: 'prueba',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: embeddings.baseUrl,
    };
  });
  after(async () => {
    await embeddings.close();
    await remove();
  });

  /** Runs a command, waiting out the lock a killed process leaves on a PGlite folder (stale after ~10 s). */
  async function runWhenUnlocked(args: string[]): Promise<CliResult> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const result = await runCli(args, env);
      if (result.code === 0 || !/está en uso/.test(result.stderr) || Date.now() > deadline) return result;
      await sleep(500);
    }
  }

  test(
    'is picked up by the worker at start and ends PROCESADO with its chunks exactly once',
    { timeout: 90_000 },
    async () => {
      const isChunkBatch = (input: string[]) => !(input.length === 1 && input[0] === PROBE_TEXT);
      embeddings.holdWhen = isChunkBatch;
      const firstBatch = embeddings.nextRequest(isChunkBatch);
      const adding = spawnCli(['docs', 'add', COLLECTION_MANUAL, '--wait', '--json'], env);
      const held = await Promise.race([
        firstBatch,
        adding.exited.then(() => assert.fail(`docs add ended before embedding:\n${adding.output()}`)),
        sleep(45_000).then(() => assert.fail(`no embeddings request after 45 s:\n${adding.output()}`)),
      ]);
      assert.ok(held.length > 1 && held.length < 64, `one batch holds the whole document (${held.length} chunks)`);
      adding.child.kill('SIGKILL');
      assert.equal((await adding.exited).signal, 'SIGKILL');

      const crashed = parsed<DocumentJson[]>(await runWhenUnlocked(['docs', 'list', '--json']));
      assert.equal(crashed.length, 1);
      const [document] = crashed as [DocumentJson];
      assert.deepEqual(
        [document.estado_procesamiento, document.contenido_procesado, document.chunks],
        ['PROCESANDO', false, 0],
        'left mid-way by the crash',
      );

      embeddings.holdWhen = undefined;
      const resumedBatch = embeddings.nextRequest(isChunkBatch);
      const worker = await startCli(['serve', '--services', 'worker'], env, /Documentos reanudados: ([\d, ]+)\./);
      try {
        assert.deepEqual(worker.match[1]?.split(', ').map(Number), [document.id]);
        assert.deepEqual(await resumedBatch, held, 'the same chunks are embedded again');
      } finally {
        // A graceful stop waits for the running job to publish the chunks.
        assert.equal(await stopCli(worker.child), 0, worker.output());
      }

      const processed = parsed<DocumentJson>(await runCli(['docs', 'show', String(document.id), '--json'], env));
      assert.equal(processed.estado_procesamiento, 'PROCESADO', processed.error_procesamiento ?? '');
      assert.equal(processed.contenido_procesado, true);
      assert.equal(processed.chunks, held.length, 'every chunk exactly once');
      assert.equal(processed.paginas, 4);
      const results = parsed<ResultJson[]>(
        await runCli(['docs', 'search', LETTER_QUESTION, '--k', '5', '--json'], env),
      );
      assert.equal(results.length, 5, 'searchable with the model it was indexed with');
      assert.ok(results.every((result) => result.documento_id === document.id));
    },
  );
});
