import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { type Config, loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/index.ts';
import { documentJobs, documentQueue, resumeUnfinishedDocuments } from '../../src/modules/documents/index.ts';
import { lazyEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { type JobQueue, startJobQueue } from '../../src/modules/jobs/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { openTestDatabase, TEST_TIME_ZONE, type TestDatabase } from '../support/database.ts';

type App = ReturnType<typeof createApp>;
interface ErrorBody {
  error: { codigo: string; mensaje: string };
}
interface DocumentBody {
  id: number;
  titulo: string;
  nombre_archivo: string;
  tipo_archivo: string;
  activo: boolean;
  estado_procesamiento: string;
  error_procesamiento: string | null;
  chunks: number;
  actualizado_en: string;
}
interface UploadBody {
  documento: DocumentBody;
  duplicado: boolean;
}
interface SearchBody {
  resultados: {
    documento_id: number;
    titulo: string;
    nombre_archivo: string;
    chunk_index: number;
    pagina: number | null;
    encabezados: string;
    score: number;
    texto: string;
  }[];
}

const admin = { email: 'admin@rapicredit.com', password: 'clave-admin-1', rol: 'ADMIN' };
const analyst = { email: 'analista@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };
const corpusPolicy = new URL('../../../shared/corpus/documentos/politica-proteccion-datos.md', import.meta.url);
const PROCESSING_TIMEOUT_MS = 20_000;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = (method: string, body: unknown, headers: Record<string, string>) => ({
  method,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

/** A small Markdown manual whose second section holds a sentence no other document has. */
function markdownManual(distinctive: string): string {
  return [
    '# Manual de caja de prueba',
    '',
    '## Apertura de caja',
    '',
    'El cajero cuenta el fondo fijo al iniciar el turno y lo registra en el sistema antes de atender clientes.',
    '',
    '## Cierre de caja',
    '',
    distinctive,
    '',
  ].join('\n');
}

function uploadForm(content: string | Uint8Array, fileName: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set('archivo', new File([content], fileName));
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

async function expectError(response: Response, status: number, codigo: string, mensaje?: string | RegExp) {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.codigo, codigo);
  if (typeof mensaje === 'string') assert.equal(body.error.mensaje, mensaje);
  else if (mensaje) assert.match(body.error.mensaje, mensaje);
}

describe('HTTP API: documents', () => {
  let database: TestDatabase;
  let dataDir: string;
  let uploadFolder: string;
  let queue: JobQueue;
  let config: Config;
  let app: App;
  let adminToken: string;
  let analystToken: string;

  const upload = (form: FormData, token = adminToken) =>
    app.request('/api/v1/documentos', { method: 'POST', body: form, headers: bearer(token) });
  const getDocument = (id: number | string, token = adminToken) =>
    app.request(`/api/v1/documentos/${id}`, { headers: bearer(token) });
  const patch = (id: number, body: unknown, token = adminToken) =>
    app.request(`/api/v1/documentos/${id}`, json('PATCH', body, bearer(token)));

  async function search(pregunta: string, token = adminToken): Promise<SearchBody['resultados']> {
    const response = await app.request('/api/v1/documentos/buscar', json('POST', { pregunta, k: 10 }, bearer(token)));
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as SearchBody).resultados;
  }

  async function uploadAndProcess(form: FormData): Promise<DocumentBody> {
    const response = await upload(form);
    assert.equal(response.status, 202, await response.clone().text());
    return waitUntilProcessed(((await response.json()) as UploadBody).documento.id);
  }

  async function waitUntilProcessed(id: number): Promise<DocumentBody> {
    const deadline = Date.now() + PROCESSING_TIMEOUT_MS;
    for (;;) {
      const document = (await (await getDocument(id)).json()) as DocumentBody;
      if (document.estado_procesamiento === 'PROCESADO') return document;
      assert.notEqual(document.estado_procesamiento, 'ERROR', document.error_procesamiento ?? '');
      assert.ok(Date.now() < deadline, `document ${id} still ${document.estado_procesamiento} after 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function storedState() {
    const { rows } = await database.db.query<{ total: number }>('SELECT count(*) AS total FROM documentos_ai');
    const files = await readdir(uploadFolder).catch(() => []);
    return { rows: rows[0]?.total, files: files.length };
  }

  async function login(user: { email: string; password: string }): Promise<string> {
    const response = await app.request('/api/v1/auth/login', json('POST', { ...user, tipo: 'bearer' }, {}));
    assert.equal(response.status, 200);
    return ((await response.json()) as { token: string }).token;
  }

  before(async () => {
    database = await openTestDatabase();
    dataDir = await mkdtemp(path.join(tmpdir(), 'rc-documentos-api-'));
    config = loadConfig({ RAPICREDIT_DATA_DIR: dataDir });
    uploadFolder = path.join(config.dataDir, 'uploads', 'documentos_ai');
    const provider = lazyEmbeddingProvider(config.embeddings);
    queue = await startJobQueue({
      db: database.db,
      jobs: documentJobs({ db: database.db, dataDir: config.dataDir, provider }),
      timeZone: TEST_TIME_ZONE,
      work: true,
    });
    app = createApp({ db: database.db, config, queue });
    await createUser({ db: database.db, input: admin });
    await createUser({ db: database.db, input: analyst });
    adminToken = await login(admin);
    analystToken = await login(analyst);
  });
  beforeEach(() => database.db.query('DELETE FROM intentos_login'));
  after(async () => {
    await queue.stop();
    await database.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test('an ADMIN uploads a Markdown file: 202 PENDIENTE, then PROCESADO, and the search cites it', async () => {
    const sentence =
      'Al cerrar la caja, el supervisor firma el acta con tinta verde y guarda el sobre en la bóveda azul.';
    const response = await upload(
      uploadForm(markdownManual(sentence), 'manual-caja.md', { titulo: 'Manual de caja', descripcion: 'Prueba' }),
    );
    assert.equal(response.status, 202);
    const { documento, duplicado } = (await response.json()) as UploadBody;
    assert.equal(duplicado, false);
    assert.equal(documento.estado_procesamiento, 'PENDIENTE');
    assert.equal(documento.tipo_archivo, 'md');
    assert.equal(documento.titulo, 'Manual de caja');

    const processed = await waitUntilProcessed(documento.id);
    assert.ok(processed.chunks > 0);

    const [best] = await search('¿Con qué tinta firma el supervisor el acta al cerrar la caja?');
    assert.ok(best, 'the search finds a passage');
    assert.equal(best.documento_id, documento.id);
    assert.equal(best.titulo, 'Manual de caja');
    assert.equal(best.nombre_archivo, 'manual-caja.md');
    assert.equal(best.pagina, null, 'Markdown has no pages');
    assert.ok(Number.isInteger(best.chunk_index) && best.chunk_index >= 0);
    assert.match(best.encabezados, /Cierre de caja/);
    assert.ok(best.texto.includes(sentence), best.texto);

    const listed = await app.request('/api/v1/documentos?estado=PROCESADO&tipo=md&texto=caja', {
      headers: bearer(analystToken),
    });
    assert.equal(listed.status, 200);
    const { documentos } = (await listed.json()) as { documentos: DocumentBody[] };
    assert.deepEqual(
      documentos.map((document) => document.id),
      [documento.id],
    );
  });

  test('the same bytes uploaded again return the existing document, without a second row', async () => {
    const content = markdownManual('El arqueo sorpresa se hace con dos testigos y un cronómetro de arena.');
    const first = await upload(uploadForm(content, 'arqueo.md'));
    assert.equal(first.status, 202);
    const original = ((await first.json()) as UploadBody).documento;
    const before = await storedState();

    const again = await upload(uploadForm(content, 'otro-nombre.md', { titulo: 'Otro título' }));
    assert.equal(again.status, 200);
    const body = (await again.json()) as UploadBody;
    assert.equal(body.duplicado, true);
    assert.equal(body.documento.id, original.id);
    assert.equal(body.documento.nombre_archivo, 'arqueo.md');
    assert.deepEqual(await storedState(), before);
    await waitUntilProcessed(original.id);
  });

  test('a policy from the company corpus is processed and answers a question from it', async () => {
    const bytes = await readFile(corpusPolicy);
    const documento = await uploadAndProcess(uploadForm(bytes, 'politica-proteccion-datos.md'));
    assert.equal(documento.titulo, 'Política de Protección de Datos del Cliente');
    const results = await search('¿En qué plazo se aplica la revocación del consentimiento de mercadeo?');
    const best = results[0];
    assert.ok(best);
    assert.equal(best.documento_id, documento.id);
    assert.equal(best.nombre_archivo, 'politica-proteccion-datos.md');
    assert.match(best.texto, /5 días hábiles/);
  });

  test('an ANALISTA reads and searches but cannot upload, edit, reprocess or delete; no session is a 401', async () => {
    const documento = await uploadAndProcess(
      uploadForm(markdownManual('Los billetes dañados se sellan con el sello rojo de devolución.'), 'billetes.md'),
    );
    const before = await storedState();
    const forbiddenUpload = await upload(uploadForm('texto del analista', 'analista.txt'), analystToken);
    await expectError(forbiddenUpload, 403, 'FORBIDDEN', /requiere el rol ADMIN/);
    await expectError(await patch(documento.id, { activo: false }, analystToken), 403, 'FORBIDDEN');
    const reprocess = await app.request(`/api/v1/documentos/${documento.id}/reprocesar`, {
      method: 'POST',
      headers: bearer(analystToken),
    });
    await expectError(reprocess, 403, 'FORBIDDEN');
    const remove = await app.request(`/api/v1/documentos/${documento.id}`, {
      method: 'DELETE',
      headers: bearer(analystToken),
    });
    await expectError(remove, 403, 'FORBIDDEN');
    assert.deepEqual(await storedState(), before, 'nothing was stored or removed');
    assert.equal(((await (await getDocument(documento.id)).json()) as DocumentBody).activo, true);

    assert.equal((await getDocument(documento.id, analystToken)).status, 200);
    const results = await search('¿Con qué sello se marcan los billetes dañados?', analystToken);
    assert.equal(results[0]?.documento_id, documento.id);

    const anonymousUpload = await app.request('/api/v1/documentos', {
      method: 'POST',
      body: uploadForm('sin sesión', 'x.txt'),
    });
    await expectError(anonymousUpload, 401, 'UNAUTHENTICATED', 'Inicie sesión para continuar.');
    await expectError(await app.request('/api/v1/documentos'), 401, 'UNAUTHENTICATED');
    const anonymousSearch = await app.request('/api/v1/documentos/buscar', json('POST', { pregunta: 'sello' }, {}));
    await expectError(anonymousSearch, 401, 'UNAUTHENTICATED');
  });

  test('an upload over AI.tamano_maximo_documento_mb is refused with 413 and nothing is stored', async () => {
    const setLimit = (megabytes: string) =>
      database.db.query(
        "UPDATE configuracion_sistema SET valor = $1 WHERE categoria = 'AI' AND clave = 'tamano_maximo_documento_mb'",
        [megabytes],
      );
    const big = 'Una línea de texto que se repite para llenar el archivo.\n'.repeat(27_000);
    assert.ok(Buffer.byteLength(big) > 1.4 * 1024 * 1024);
    await setLimit('1');
    try {
      const before = await storedState();

      // No Content-Length: counted while the body streams in.
      const streamed = await upload(uploadForm(big, 'grande.txt'));
      await expectError(streamed, 413, 'PAYLOAD_TOO_LARGE', 'El archivo supera el tamaño máximo de 1 MB.');

      // With Content-Length: refused before a single byte of the body is read.
      const request = new Request('http://localhost/', { method: 'POST', body: uploadForm(big, 'grande.txt') });
      const bytes = new Uint8Array(await request.arrayBuffer());
      let bodyRead = false;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            bodyRead = true;
            controller.enqueue(bytes);
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
      const declared = await app.request('/api/v1/documentos', {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          ...bearer(adminToken),
          'content-type': request.headers.get('content-type') ?? '',
          'content-length': String(bytes.byteLength),
        },
      } as RequestInit);
      await expectError(declared, 413, 'PAYLOAD_TOO_LARGE', /1 MB/);
      assert.equal(bodyRead, false, 'the body was not read');

      assert.deepEqual(await storedState(), before, 'no row and no file');
    } finally {
      await setLimit('20');
    }
    // Back at 20 MB, a 1.5 MB page is accepted: the 1 MB limit for JSON bodies does not apply to uploads.
    // Its bulk is an inline style the extraction drops, so processing it stays quick.
    const page = `<html><body><style>${'p { color: #333; }\n'.repeat(80_000)}</style><p>Horario de caja.</p></body></html>`;
    assert.ok(Buffer.byteLength(page) > 1.4 * 1024 * 1024);
    const accepted = await upload(uploadForm(page, 'horario.html'));
    assert.equal(accepted.status, 202, await accepted.clone().text());
    await waitUntilProcessed(((await accepted.json()) as UploadBody).documento.id);
  });

  test('content that is not a supported document, or no file at all, is a Spanish 400 and nothing is stored', async () => {
    const before = await storedState();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const disguised = await upload(uploadForm(png, 'x.pdf'));
    const body = (await disguised.clone().json()) as ErrorBody;
    await expectError(disguised, 400, 'INVALID_INPUT');
    assert.match(body.error.mensaje, /[áéíóúñ]|archivo|documento/i, body.error.mensaje);

    const form = new FormData();
    form.set('titulo', 'Sin archivo');
    const missing = await upload(form);
    await expectError(
      missing,
      400,
      'INVALID_INPUT',
      'Datos no válidos: archivo: es obligatorio y debe ser un archivo.',
    );
    const notMultipart = await app.request('/api/v1/documentos', json('POST', { archivo: 'x' }, bearer(adminToken)));
    await expectError(notMultipart, 400, 'INVALID_INPUT', /multipart\/form-data/);
    assert.deepEqual(await storedState(), before);
  });

  test('an inactive document leaves the search; active again, it comes back; a stale edit is a 409', async () => {
    const documento = await uploadAndProcess(
      uploadForm(
        markdownManual('Las monedas extranjeras se cuentan dos veces frente a la cámara del mostrador.'),
        'm.md',
      ),
    );
    const question = '¿Cuántas veces se cuentan las monedas extranjeras frente a la cámara?';
    assert.equal((await search(question))[0]?.documento_id, documento.id);

    const deactivated = await patch(documento.id, { activo: false });
    assert.equal(deactivated.status, 200);
    const inactive = (await deactivated.json()) as DocumentBody;
    assert.equal(inactive.activo, false);
    assert.ok(!(await search(question)).some((result) => result.documento_id === documento.id));

    const stale = await patch(documento.id, { activo: true, actualizado_en: documento.actualizado_en });
    await expectError(stale, 409, 'CONFLICT', /cambió mientras lo editaba/);
    assert.ok(!(await search(question)).some((result) => result.documento_id === documento.id), 'still inactive');

    const reactivated = await patch(documento.id, {
      activo: true,
      titulo: 'Manual de monedas',
      actualizado_en: inactive.actualizado_en,
    });
    assert.equal(reactivated.status, 200);
    const [best] = await search(question);
    assert.equal(best?.documento_id, documento.id);
    assert.equal(best?.titulo, 'Manual de monedas');

    await expectError(await patch(documento.id, {}), 400, 'INVALID_INPUT', /al menos un cambio/);
    await expectError(
      await patch(documento.id, { titulo: '  ' }),
      400,
      'INVALID_INPUT',
      /titulo: no puede quedar vacío/,
    );
  });

  test('reprocessing answers 202 PENDIENTE and the document is processed again', async () => {
    const documento = await uploadAndProcess(
      uploadForm(markdownManual('El fondo de reposición se solicita por escrito cada viernes.'), 'fondo.md'),
    );
    const response = await app.request(`/api/v1/documentos/${documento.id}/reprocesar`, {
      method: 'POST',
      headers: bearer(adminToken),
    });
    assert.equal(response.status, 202);
    assert.equal(((await response.json()) as DocumentBody).estado_procesamiento, 'PENDIENTE');
    assert.equal((await waitUntilProcessed(documento.id)).chunks, documento.chunks);
  });

  test('without a job queue an upload stays PENDIENTE until a worker start-up sweep queues it', async () => {
    const appWithoutQueue = createApp({ db: database.db, config });
    const response = await appWithoutQueue.request('/api/v1/documentos', {
      method: 'POST',
      body: uploadForm(markdownManual('Las llaves de la bóveda se entregan al vigilante nocturno.'), 'llaves.md'),
      headers: bearer(adminToken),
    });
    assert.equal(response.status, 202);
    const { documento } = (await response.json()) as UploadBody;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const waiting = (await (await getDocument(documento.id)).json()) as DocumentBody;
    assert.equal(waiting.estado_procesamiento, 'PENDIENTE', 'nothing processes it yet');

    assert.ok((await resumeUnfinishedDocuments(database.db, documentQueue(queue))).includes(documento.id));
    assert.ok((await waitUntilProcessed(documento.id)).chunks > 0);
  });

  test('a deleted document is a 404, leaves the search and its stored file is gone', async () => {
    const documento = await uploadAndProcess(
      uploadForm(markdownManual('Los cheques devueltos se archivan en la carpeta naranja del gerente.'), 'cheques.md'),
    );
    const question = '¿Dónde se archivan los cheques devueltos?';
    assert.equal((await search(question))[0]?.documento_id, documento.id);
    const { rows } = await database.db.query<{ ruta_archivo: string }>(
      'SELECT ruta_archivo FROM documentos_ai WHERE id = $1',
      [documento.id],
    );
    const storedFile = path.resolve(dataDir, rows[0]?.ruta_archivo ?? '');
    assert.ok(storedFile.startsWith(dataDir) && existsSync(storedFile), `stored under the data folder: ${storedFile}`);

    const response = await app.request(`/api/v1/documentos/${documento.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { eliminado: documento.id });

    await expectError(await getDocument(documento.id), 404, 'NOT_FOUND', `No existe el documento ${documento.id}.`);
    assert.ok(!(await search(question)).some((result) => result.documento_id === documento.id));
    assert.equal(existsSync(storedFile), false, 'the stored file is removed');
    const again = await app.request(`/api/v1/documentos/${documento.id}`, {
      method: 'DELETE',
      headers: bearer(adminToken),
    });
    await expectError(again, 404, 'NOT_FOUND');
  });

  test('search and path parameters are validated with Spanish messages', async () => {
    const ask = (body: unknown) => app.request('/api/v1/documentos/buscar', json('POST', body, bearer(adminToken)));
    await expectError(await ask({ pregunta: '' }), 400, 'INVALID_INPUT', /pregunta: no puede estar vacía/);
    await expectError(await ask({ pregunta: '   ' }), 400, 'INVALID_INPUT', /pregunta: no puede estar vacía/);
    await expectError(await ask({}), 400, 'INVALID_INPUT', /pregunta: es obligatoria/);
    await expectError(await ask({ pregunta: 'x'.repeat(1001) }), 400, 'INVALID_INPUT', /pregunta: .*1000/);
    await expectError(await ask({ pregunta: 'caja', k: 0 }), 400, 'INVALID_INPUT', /k: debe estar entre 1 y 50/);
    await expectError(await ask({ pregunta: 'caja', k: 51 }), 400, 'INVALID_INPUT', /k: debe estar entre 1 y 50/);
    await expectError(await ask({ pregunta: 'caja', modo: 'magia' }), 400, 'INVALID_INPUT', /modo: debe ser/);
    const onlyText = await ask({ pregunta: 'tinta verde', k: 1, modo: 'texto' });
    assert.equal(onlyText.status, 200);
    assert.equal(((await onlyText.json()) as SearchBody).resultados.length, 1);

    for (const id of ['abc', '1.5', '0']) {
      await expectError(await getDocument(id), 400, 'INVALID_INPUT', /id: debe ser un número/);
    }
    await expectError(await getDocument(999_999), 404, 'NOT_FOUND', 'No existe el documento 999999.');
    const badFilter = await app.request('/api/v1/documentos?activo=quizas&limite=0', { headers: bearer(adminToken) });
    await expectError(
      badFilter,
      400,
      'INVALID_INPUT',
      /activo: debe ser true o false; limite: debe estar entre 1 y 500/,
    );
  });

  test('the OpenAPI document describes every documents route with its roles and response schemas', async () => {
    const document = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, { 'x-roles': string[]; requestBody?: unknown; responses: object }>>;
    };
    const operations = Object.entries(document.paths)
      .filter(([route]) => route.startsWith('/api/v1/documentos'))
      .flatMap(([route, methods]) =>
        Object.entries(methods).map(([method, operation]) => [`${method} ${route}`, operation['x-roles']]),
      );
    assert.deepEqual(Object.fromEntries(operations), {
      'post /api/v1/documentos': ['ADMIN'],
      'get /api/v1/documentos': ['ADMIN', 'ANALISTA'],
      'get /api/v1/documentos/{id}': ['ADMIN', 'ANALISTA'],
      'patch /api/v1/documentos/{id}': ['ADMIN'],
      'delete /api/v1/documentos/{id}': ['ADMIN'],
      'post /api/v1/documentos/{id}/reprocesar': ['ADMIN'],
      'post /api/v1/documentos/buscar': ['ADMIN', 'ANALISTA'],
    });
    const uploadOperation = document.paths['/api/v1/documentos']?.post;
    assert.match(JSON.stringify(uploadOperation?.requestBody), /multipart\/form-data.*"archivo".*"format":"binary"/);
    assert.match(JSON.stringify(uploadOperation?.responses), /"202".*#\/components\/schemas\/Documento/);
  });
});
