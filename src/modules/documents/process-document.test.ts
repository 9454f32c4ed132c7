import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildPdf } from '../../../test/fixtures/documentos/build-pdf.ts';
import { buildDocx, buildZip } from '../../../test/fixtures/documentos/build-zip.ts';
import { assertInvalidInput, readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createLocalEmbeddingProvider, type EmbeddingProvider } from '../embeddings/index.ts';
import { deleteDocument, reprocessDocument, updateDocument } from './manage-documents.ts';
import { processDocument } from './process-document.ts';
import { searchDocuments } from './search-documents.ts';
import { type DocumentQueue, uploadDocument } from './upload-document.ts';

const local = createLocalEmbeddingProvider();
const WORD_NAMESPACE = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

/** A small Markdown manual; `sentence` makes its bytes (and its best passage) unique. */
function manual(sentence: string): Uint8Array {
  return new TextEncoder().encode(
    [
      '# Manual de bóveda',
      '',
      '## Apertura',
      '',
      'El tesorero abre la bóveda con dos llaves y anota la hora en el libro de control diario.',
      '',
      '## Custodia',
      '',
      sentence,
      '',
    ].join('\n'),
  );
}

/** A provider whose service is down: every call fails with a plain Error, as a network failure would. */
function unavailableProvider(message: string): EmbeddingProvider {
  return {
    model: local.model,
    dimensions: local.dimensions,
    embedDocuments: async () => {
      throw new Error(message);
    },
    embedQuery: (text) => local.embedQuery(text),
  };
}

/** Files that pass type detection but cannot be read, each with the message the user must see. */
const unreadableFiles: { what: string; file: string; bytes: () => Uint8Array; message: string }[] = [
  {
    what: 'a PDF without a text layer (a scan)',
    file: 'escaneado.pdf',
    bytes: () => buildPdf([{ rectangles: [[60, 80, 470, 680]] }]),
    message: 'El PDF no tiene capa de texto (parece escaneado). Aplíquele OCR o súbalo en un formato con texto.',
  },
  {
    what: 'a password-protected PDF',
    file: 'protegido.pdf',
    bytes: () => readFixture('protegido-con-clave.pdf'),
    message: 'El PDF está protegido con contraseña. Quite la protección y vuelva a subirlo.',
  },
  {
    what: 'a truncated PDF whose header still says %PDF',
    file: 'politica-credito.pdf',
    bytes: () => {
      const whole = readFixture('politica-credito.pdf');
      return whole.slice(0, Math.floor(whole.length / 2));
    },
    message: 'El PDF está dañado o no se puede leer.',
  },
  {
    what: 'a DOCX zip bomb (word/document.xml declares 150 MB uncompressed)',
    file: 'bomba.docx',
    bytes: () =>
      buildZip([
        { name: '[Content_Types].xml', data: '<Types/>' },
        {
          name: 'word/document.xml',
          data: `<w:document xmlns:w="${WORD_NAMESPACE}"><w:body><w:p><w:r><w:t>Hola</w:t></w:r></w:p></w:body></w:document>`,
          declaredSize: 150 * 1024 * 1024,
        },
      ]),
    message: 'El DOCX parece una bomba zip (se expande a más de 100 MB). No se procesó; revise el archivo.',
  },
  {
    what: 'a DOCX whose word/document.xml is not XML',
    file: 'danado.docx',
    bytes: () =>
      buildZip([
        { name: '[Content_Types].xml', data: '<Types/>' },
        { name: 'word/document.xml', data: '<<<esto no es WordprocessingML' },
      ]),
    message: 'El DOCX está dañado o no se puede leer.',
  },
];

describe('processDocument', () => {
  let database: TestDatabase;
  let dataDir: string;
  let uploadFolder: string;
  const queued: number[] = [];
  const queue: DocumentQueue = {
    enqueue: async (documentoId) => {
      queued.push(documentoId);
    },
  };

  before(async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-procesar-'));
    uploadFolder = path.join(dataDir, 'uploads', 'documentos_ai');
  });
  after(async () => {
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const deps = (provider: EmbeddingProvider = local) => ({ db: database.db, dataDir, provider });

  async function upload(bytes: Uint8Array, nombreArchivo: string) {
    return uploadDocument({ db: database.db, dataDir, queue }, { bytes, nombreArchivo });
  }

  /** The row as processing left it, with its chunk count and ids. */
  async function stateOf(id: number) {
    const { rows } = await database.db.query<{
      estado_procesamiento: string;
      error_procesamiento: string | null;
      contenido_procesado: boolean;
      intentos_procesamiento: number;
    }>(
      `SELECT estado_procesamiento, error_procesamiento, contenido_procesado, intentos_procesamiento
         FROM documentos_ai WHERE id = $1`,
      [id],
    );
    const chunks = await database.db.query<{ id: number; modelo_embedding: string }>(
      'SELECT id, modelo_embedding FROM documento_ai_embeddings WHERE documento_id = $1 ORDER BY id',
      [id],
    );
    return {
      ...rows[0],
      chunkIds: chunks.rows.map((row) => row.id),
      models: chunks.rows.map((r) => r.modelo_embedding),
    };
  }

  async function stored() {
    const { rows } = await database.db.query<{ total: number }>('SELECT count(*)::int AS total FROM documentos_ai');
    const files = await readdir(uploadFolder).catch(() => []);
    return { rows: rows[0]?.total, files: files.length };
  }

  async function foundIn(question: string, documentoId: number, provider: EmbeddingProvider = local) {
    const results = await searchDocuments(database.db, provider, question, { k: 50 });
    return results.filter((result) => result.documento_id === documentoId);
  }

  for (const bad of unreadableFiles) {
    test(`${bad.what} is stored, then marked ERROR at once with its Spanish message and no chunks`, async () => {
      const bytes = bad.bytes();
      const { documento, duplicado } = await upload(bytes, bad.file);
      assert.equal(duplicado, false);
      assert.equal(documento.estado_procesamiento, 'PENDIENTE');
      assert.ok(queued.includes(documento.id), 'the upload queued its processing');

      const report = await processDocument(deps(), documento.id);

      assert.equal(report.estado, 'ERROR');
      assert.equal(report.chunks, 0);
      assert.equal(report.error, bad.message);
      assert.deepEqual(await stateOf(documento.id), {
        estado_procesamiento: 'ERROR',
        error_procesamiento: report.error,
        contenido_procesado: false,
        intentos_procesamiento: 1,
        chunkIds: [],
        models: [],
      });
    });
  }

  test('an empty file and a truncated DOCX are refused at upload in Spanish: no row and no file', async () => {
    const before = await stored();
    await assertInvalidInput(upload(new Uint8Array(0), 'vacio.pdf'), /^El archivo está vacío\.$/);
    const docx = buildDocx('<w:p><w:r><w:t>Manual de cierre de caja</w:t></w:r></w:p>');
    await assertInvalidInput(
      upload(docx.slice(0, Math.floor(docx.length * 0.6)), 'cortado.docx'),
      /^El DOCX está dañado o no se puede leer\.$/,
    );
    assert.deepEqual(await stored(), before);
  });

  test('an embedding service failure is recorded and rethrown for the queue to retry; the 4th failure is final', async () => {
    const { documento } = await upload(manual('El sobre de contingencia se sella con lacre morado.'), 'lacre.md');
    const down = unavailableProvider('connect ECONNREFUSED 127.0.0.1:11434');
    for (let attempt = 1; attempt <= 3; attempt++) {
      await assert.rejects(processDocument(deps(down), documento.id), /ECONNREFUSED/);
      assert.deepEqual(await stateOf(documento.id), {
        estado_procesamiento: 'PENDIENTE',
        error_procesamiento: 'Error al procesar: connect ECONNREFUSED 127.0.0.1:11434',
        contenido_procesado: false,
        intentos_procesamiento: attempt,
        chunkIds: [],
        models: [],
      });
    }
    const report = await processDocument(deps(down), documento.id);
    assert.equal(report.estado, 'ERROR');
    assert.equal(report.error, 'Error al procesar: connect ECONNREFUSED 127.0.0.1:11434');
    const failed = await stateOf(documento.id);
    assert.equal(failed.estado_procesamiento, 'ERROR');
    assert.equal(failed.contenido_procesado, false);
    assert.deepEqual(failed.chunkIds, []);

    // Once the service is back, reprocessing starts the attempts over and succeeds.
    await reprocessDocument(database.db, queue, documento.id);
    assert.equal((await processDocument(deps(), documento.id)).estado, 'PROCESADO');
    assert.match(
      (await foundIn('¿Con qué se sella el sobre de contingencia?', documento.id))[0]?.texto ?? '',
      /lacre morado/,
    );
  });

  test('a failed reprocess keeps the old chunks searchable; a successful one replaces them all at once', async () => {
    const question = '¿Con qué tinta se firma el acta de custodia nocturna?';
    const { documento } = await upload(
      manual('El acta de custodia nocturna se firma con tinta sepia y se guarda en el cofre gris.'),
      'custodia.md',
    );
    const first = await processDocument(deps(), documento.id);
    assert.equal(first.estado, 'PROCESADO');
    assert.ok(first.chunks >= 2);
    const original = await stateOf(documento.id);
    assert.equal(original.chunkIds.length, first.chunks);
    assert.match((await foundIn(question, documento.id))[0]?.texto ?? '', /tinta sepia/);

    await reprocessDocument(database.db, queue, documento.id);
    // The service answers, but one vector short: nothing of this attempt may be published.
    const short: EmbeddingProvider = {
      ...local,
      embedDocuments: async (texts) => (await local.embedDocuments(texts)).slice(0, -1),
    };
    await assert.rejects(processDocument(deps(short), documento.id));
    const afterFailure = await stateOf(documento.id);
    assert.equal(afterFailure.estado_procesamiento, 'PENDIENTE');
    assert.match(afterFailure.error_procesamiento ?? '', /^Error al procesar: /);
    assert.equal(afterFailure.contenido_procesado, true);
    assert.deepEqual(afterFailure.chunkIds, original.chunkIds, 'the old chunks are untouched');
    assert.match((await foundIn(question, documento.id))[0]?.texto ?? '', /tinta sepia/, 'still searchable');

    // A new model: chunks of the old one must go too, or the document would be indexed twice.
    const renamed: EmbeddingProvider = { ...local, model: 'local-hash-v2-prueba' };
    const second = await processDocument(deps(renamed), documento.id);
    assert.equal(second.estado, 'PROCESADO');
    const replaced = await stateOf(documento.id);
    assert.equal(replaced.chunkIds.length, first.chunks, 'same chunk count, not doubled');
    assert.ok(!replaced.chunkIds.some((id) => original.chunkIds.includes(id)), 'every old chunk was replaced');
    assert.deepEqual(new Set(replaced.models), new Set(['local-hash-v2-prueba']));
    assert.equal(replaced.error_procesamiento, null);
    assert.match((await foundIn(question, documento.id, renamed))[0]?.texto ?? '', /tinta sepia/);
  });

  test('a document processed many times still gets its retries when the embedding service fails once', async () => {
    const { documento } = await upload(manual('El libro de visitas se cierra con firma del gerente.'), 'visitas.md');
    // Four successful runs, as four `docs reindex` would do.
    for (let run = 0; run < 4; run++) assert.equal((await processDocument(deps(), documento.id)).estado, 'PROCESADO');
    const chunks = (await stateOf(documento.id)).chunkIds;
    await assert.rejects(processDocument(deps(unavailableProvider('timeout')), documento.id), /timeout/);
    const after = await stateOf(documento.id);
    assert.equal(after.estado_procesamiento, 'PENDIENTE', 'retried, not failed for good');
    assert.deepEqual(after.chunkIds, chunks, 'and still searchable meanwhile');
  });

  test('the chunk size set in configuracion_sistema applies to the next processing', async () => {
    const text = Array.from({ length: 30 }, (_, n) => `Párrafo ${n} con algunas palabras de relleno para medir.`);
    const { documento } = await upload(new TextEncoder().encode(text.join('\n\n')), 'largo.txt');
    const setSize = (size: string) =>
      database.db.query(
        `UPDATE configuracion_sistema SET valor = $1 WHERE categoria = 'AI' AND clave = 'chunk_tamano'`,
        [size],
      );
    try {
      assert.equal((await processDocument(deps(), documento.id)).chunks, 3);
      await setSize('200');
      assert.equal((await processDocument(deps(), documento.id)).chunks, 10);
    } finally {
      await setSize('700');
    }
  });

  test('uploading the same bytes again returns the same document marked duplicado, storing nothing new', async () => {
    const bytes = manual('Las monedas de colección se guardan en la gaveta de terciopelo.');
    const first = await upload(bytes, 'monedas.md');
    const before = await stored();
    queued.length = 0;
    const again = await upload(bytes, 'otro-nombre.md');
    assert.equal(again.duplicado, true);
    assert.equal(again.documento.id, first.documento.id);
    assert.equal(again.documento.nombre_archivo, 'monedas.md');
    assert.deepEqual(await stored(), before);
    assert.deepEqual(queued, [], 'a duplicate is not queued again');
  });

  test('a deactivated document leaves the search; a deleted one leaves no chunks and no file', async () => {
    const question = '¿Dónde se guardan los pagarés vencidos?';
    const { documento } = await upload(
      manual('Los pagarés vencidos se guardan en el archivador de roble del sótano.'),
      'pagares.md',
    );
    assert.equal((await processDocument(deps(), documento.id)).estado, 'PROCESADO');
    assert.ok((await foundIn(question, documento.id)).length > 0, 'found while active');

    await updateDocument(database.db, documento.id, { activo: false });
    assert.deepEqual(await foundIn(question, documento.id), []);
    const textOnly = await searchDocuments(database.db, local, 'pagarés archivador roble sótano', {
      k: 50,
      mode: 'texto',
    });
    assert.ok(!textOnly.some((result) => result.documento_id === documento.id));

    const { rows } = await database.db.query<{ ruta_archivo: string }>(
      'SELECT ruta_archivo FROM documentos_ai WHERE id = $1',
      [documento.id],
    );
    const file = path.resolve(dataDir, rows[0]?.ruta_archivo ?? '');
    assert.ok(existsSync(file));
    await deleteDocument(database.db, dataDir, documento.id);
    const chunks = await database.db.query<{ total: number }>(
      'SELECT count(*)::int AS total FROM documento_ai_embeddings WHERE documento_id = $1',
      [documento.id],
    );
    assert.equal(chunks.rows[0]?.total, 0);
    assert.equal(existsSync(file), false, 'the stored file is removed');
    assert.equal((await processDocument(deps(), documento.id)).estado, 'OMITIDO', 'a late job finds nothing to do');
  });
});
