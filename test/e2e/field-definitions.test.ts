import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/http/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { insertClient, insertLoan } from '../factories.ts';
import { type CliResult, runCli } from '../support/cli.ts';
import { createServerDatabase, onServer, openTestDatabase, type TestDatabase } from '../support/database.ts';

type App = ReturnType<typeof createApp>;

interface Definition {
  id: number;
  tabla: string;
  campo: string;
  definicion: string;
  tipo_dato: string | null;
  es_obligatorio: boolean;
  tiene_indice: boolean;
  es_clave_foranea: boolean;
  tabla_referenciada: string | null;
  campo_referenciado: string | null;
  valores_posibles: string[];
  ejemplos_valores: string[];
  sinonimos: string[];
  notas: string | null;
  dato_personal: boolean;
  activo: boolean;
  actualizado_por_email: string | null;
  actualizado_en: string;
}
interface SyncBody {
  creadas: number;
  actualizadas: number;
  sin_cambios: number;
  campos_creados: string[];
  campos_actualizados: string[];
  sin_definicion: string[];
  sin_columna: string[];
}
interface ErrorBody {
  error: { codigo: string; mensaje: string };
}

const PRESTAMO_ESTADOS = ['DRAFT', 'EN_REVISION', 'APROBADO', 'RECHAZADO', 'FINALIZADO'];
const BASE = '/api/v1/ai/definiciones';
const admin = { email: 'admin.definiciones@rapicredit.com', password: 'clave-admin-1', rol: 'ADMIN' };
const analyst = { email: 'analista.definiciones@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };

describe('field definitions over HTTP: sync, edits and the question engine', () => {
  let database: TestDatabase;
  let dataDir: string;
  let app: App;
  const tokens = { admin: '', analyst: '' };

  const send = (method: string, url: string, token: string, body?: unknown) =>
    app.request(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function ok<T>(response: Response, status = 200): Promise<T> {
    const text = await response.text();
    assert.equal(response.status, status, text);
    return JSON.parse(text) as T;
  }

  async function fails(response: Response, status: number, codigo: string, mensaje?: RegExp): Promise<string> {
    const body = (await response.json()) as ErrorBody;
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.error.codigo, codigo);
    if (mensaje) assert.match(body.error.mensaje, mensaje);
    return body.error.mensaje;
  }

  const sync = async () => ok<SyncBody>(await send('POST', `${BASE}/sync`, tokens.admin));
  const list = async (query = '', token = tokens.admin) =>
    (await ok<{ total: number; definiciones: Definition[] }>(await send('GET', `${BASE}${query}`, token))).definiciones;
  async function find(tabla: string, campo: string): Promise<Definition> {
    const found = (await list(`?tabla=${tabla}`)).find((definition) => definition.campo === campo);
    assert.ok(found, `${tabla}.${campo} has a definition`);
    return found;
  }
  const patch = (id: number, body: unknown, token = tokens.admin) => send('PATCH', `${BASE}/${id}`, token, body);
  const ask = async (pregunta: string) =>
    ok<{ sql: string | null; respuesta: string }>(await send('POST', '/api/v1/ai/chat', tokens.admin, { pregunta }));

  async function login(user: { email: string; password: string }): Promise<string> {
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...user, tipo: 'bearer' }),
    });
    return (await ok<{ token: string }>(response)).token;
  }

  before(async () => {
    database = await openTestDatabase();
    const { db } = database;
    const comerciante = await insertClient(db, { ocupacion: 'Comerciante', nombres: 'Rosa Elena Paredes' });
    const docente = await insertClient(db, { ocupacion: 'Docente', email: 'luis.medina@gmail.com' });
    await insertClient(db, { ocupacion: 'Comerciante', telefono: '0412-7654321', fecha_nacimiento: '1975-11-02' });
    await insertLoan(db, { cliente_id: comerciante.id, total_financiamiento: 1200 });
    await insertLoan(db, { cliente_id: docente.id, total_financiamiento: 3400 });
    dataDir = mkdtempSync(path.join(tmpdir(), 'rc-definiciones-'));
    app = createApp({ db, config: loadConfig({ RAPICREDIT_DATA_DIR: dataDir }) });
    await createUser({ db, input: admin });
    await createUser({ db, input: analyst });
    tokens.admin = await login(admin);
    tokens.analyst = await login(analyst);
    await sync();
  });
  after(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('sync recreates a deleted definition from the live schema, with an empty definicion to write', async () => {
    const foreignKey = await find('prestamos', 'cliente_id');
    const estado = await find('prestamos', 'estado');
    for (const definition of [foreignKey, estado]) {
      await ok(await send('DELETE', `${BASE}/${definition.id}`, tokens.admin));
    }
    await fails(await send('GET', `${BASE}/${estado.id}`, tokens.admin), 404, 'NOT_FOUND');

    const report = await sync();
    assert.deepEqual(report.campos_creados, ['prestamos.cliente_id', 'prestamos.estado']);
    assert.equal(report.creadas, 2);
    assert.ok(report.sin_definicion.includes('prestamos.cliente_id'));
    assert.ok(report.sin_definicion.includes('prestamos.estado'));
    assert.deepEqual(report.sin_columna, []);

    const recreatedKey = await find('prestamos', 'cliente_id');
    assert.equal(recreatedKey.definicion, '');
    assert.equal(recreatedKey.tipo_dato, 'integer');
    assert.equal(recreatedKey.es_obligatorio, true);
    assert.equal(recreatedKey.tiene_indice, true);
    assert.equal(recreatedKey.es_clave_foranea, true);
    assert.equal(recreatedKey.tabla_referenciada, 'clientes');
    assert.equal(recreatedKey.campo_referenciado, 'id');
    const recreatedState = await find('prestamos', 'estado');
    assert.equal(recreatedState.tipo_dato, 'text');
    assert.deepEqual(recreatedState.valores_posibles, PRESTAMO_ESTADOS, 'the CHECK list, in its order');
    assert.deepEqual(recreatedState.sinonimos, []);
  });

  test('two syncs at once create a missing definition once', async () => {
    const analistaRow = await find('prestamos', 'analista');
    await ok(await send('DELETE', `${BASE}/${analistaRow.id}`, tokens.admin));
    const reports = await Promise.all([sync(), sync()]);
    assert.deepEqual(reports.map((report) => report.creadas).sort(), [0, 1]);
    const { rows } = await database.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ai_definiciones_campos WHERE tabla = 'prestamos' AND campo = 'analista'`,
    );
    assert.equal(rows[0]?.n, 1);
  });

  test('valores_posibles of every CHECK-listed column equal the constraint', async () => {
    assert.deepEqual((await find('prestamos', 'estado')).valores_posibles, PRESTAMO_ESTADOS);
    assert.deepEqual((await find('pagos', 'metodo_pago')).valores_posibles, [
      'TRANSFERENCIA',
      'EFECTIVO',
      'PAGO_MOVIL',
      'DEPOSITO',
    ]);
    assert.deepEqual((await find('users', 'rol')).valores_posibles, ['ADMIN', 'ANALISTA']);
  });

  test('hand-written text survives sync while wrong technical fields are corrected', async () => {
    const rate = await find('prestamos', 'tasa_interes');
    const edited = await ok<Definition>(
      await patch(rate.id, {
        definicion: 'Tasa nominal anual pactada, en porcentaje.',
        notas: 'Revisada por cumplimiento.',
        sinonimos: [' tasa pactada ', 'Tasa pactada', 'interés anual'],
      }),
    );
    assert.deepEqual(edited.sinonimos, ['tasa pactada', 'interés anual'], 'trimmed and deduplicated');
    await database.db.query(
      `UPDATE ai_definiciones_campos SET tipo_dato = 'text', es_obligatorio = false WHERE id = $1`,
      [rate.id],
    );

    const report = await sync();
    assert.deepEqual(report.campos_actualizados, ['prestamos.tasa_interes']);
    const synced = await find('prestamos', 'tasa_interes');
    assert.equal(synced.tipo_dato, 'numeric(7,4)');
    assert.equal(synced.es_obligatorio, true);
    assert.equal(synced.definicion, 'Tasa nominal anual pactada, en porcentaje.');
    assert.equal(synced.notas, 'Revisada por cumplimiento.');
    assert.deepEqual(synced.sinonimos, ['tasa pactada', 'interés anual']);
    const found = await list(`?texto=${encodeURIComponent('INTERES ANUAL')}`);
    assert.deepEqual(
      found.map((definition) => `${definition.tabla}.${definition.campo}`),
      ['prestamos.tasa_interes'],
      'the text filter ignores case and accents',
    );

    const { rows } = await database.db.query<{ antes: Record<string, unknown>; despues: Record<string, unknown> }>(
      `SELECT antes, despues FROM ai_historial_cambios
        WHERE entidad = 'definicion' AND registro_id = $1 AND accion = 'sincronizar' ORDER BY id DESC LIMIT 1`,
      [rate.id],
    );
    assert.equal(rows[0]?.antes.tipo_dato, 'text');
    assert.equal(rows[0]?.despues.tipo_dato, 'numeric(7,4)');
    assert.equal(rows[0]?.despues.es_obligatorio, true);
  });

  test('sample values of personal data are masked: none equals a value in the table', async () => {
    const { rows } = await database.db.query<Record<string, string | null>>(
      'SELECT cedula, nombres, email, telefono, fecha_nacimiento FROM clientes',
    );
    for (const campo of ['cedula', 'nombres', 'email', 'telefono', 'fecha_nacimiento']) {
      const definition = await find('clientes', campo);
      const real = new Set(rows.map((row) => String(row[campo])));
      assert.equal(definition.dato_personal, true, `${campo} is personal data`);
      assert.ok(definition.ejemplos_valores.length > 0, `${campo} has examples`);
      for (const example of definition.ejemplos_valores) {
        assert.ok(!real.has(example), `${campo}: ${example} is a real value`);
        assert.match(example, /•/);
      }
    }
    assert.ok((await find('clientes', 'email')).ejemplos_valores.includes('l•••@gmail.com'));
    const state = await find('clientes', 'estado');
    assert.deepEqual(state.ejemplos_valores, ['ACTIVO']);
    const marked = await ok<Definition>(await patch(state.id, { dato_personal: true }));
    assert.deepEqual(marked.ejemplos_valores, ['A•••'], 'marking a column personal masks its examples at once');
    await ok(await patch(state.id, { dato_personal: false }));
    await sync();
    assert.deepEqual((await find('clientes', 'estado')).ejemplos_valores, ['ACTIVO'], 'sync shows real values again');
    const occupations = (await find('clientes', 'ocupacion')).ejemplos_valores;
    assert.deepEqual([...occupations].sort(), ['Comerciante', 'Docente'], 'other columns show real values');
  });

  test('users.password_hash never gets a definition, and cannot be given one', async () => {
    const users = await list('?tabla=users');
    assert.deepEqual(users.map((definition) => definition.campo).sort(), [
      'activo',
      'apellido',
      'email',
      'id',
      'nombre',
      'rol',
    ]);
    const { rows } = await database.db.query(
      `SELECT id FROM ai_historial_cambios WHERE coalesce(antes::text, '') || coalesce(despues::text, '') LIKE '%password%'`,
    );
    assert.deepEqual(rows, [], 'no history row mentions it');
    assert.ok((await find('users', 'email')).ejemplos_valores.every((example) => example.includes('•')));
    await fails(
      await send('POST', BASE, tokens.admin, { tabla: 'users', campo: 'password_hash', definicion: 'Hash' }),
      400,
      'INVALID_INPUT',
      /users\.password_hash no existe en la base de datos o el asistente no puede leerla/,
    );
  });

  test('a second sync right after changes nothing and records nothing, even when rows moved', async () => {
    await sync();
    // Updates write new row versions elsewhere in the table (as a login does to users): same data, new order.
    await database.db.query('UPDATE clientes SET ocupacion = ocupacion WHERE id = (SELECT min(id) FROM clientes)');
    await database.db.query('UPDATE users SET ultimo_acceso = now() WHERE id = (SELECT min(id) FROM users)');
    const history = async () =>
      (await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ai_historial_cambios')).rows[0]?.n;
    const before = await history();
    const report = await sync();
    assert.equal(report.creadas, 0);
    assert.equal(report.actualizadas, 0);
    assert.equal(report.sin_cambios, (await list()).length);
    assert.equal(await history(), before);
  });

  test('an ANALISTA may read the definitions but not change them', async () => {
    const definitions = await list('', tokens.analyst);
    const [first] = definitions;
    assert.ok(first);
    await ok(await send('GET', `${BASE}/${first.id}`, tokens.analyst));
    const forbidden = /requiere el rol ADMIN/;
    await fails(await patch(first.id, { notas: 'x' }, tokens.analyst), 403, 'FORBIDDEN', forbidden);
    await fails(
      await send('POST', BASE, tokens.analyst, { tabla: 'clientes', campo: 'id', definicion: 'x' }),
      403,
      'FORBIDDEN',
      forbidden,
    );
    await fails(await send('DELETE', `${BASE}/${first.id}`, tokens.analyst), 403, 'FORBIDDEN', forbidden);
    await fails(await send('POST', `${BASE}/sync`, tokens.analyst), 403, 'FORBIDDEN', forbidden);
    assert.equal((await list('', tokens.analyst)).length, definitions.length);
  });

  test('an edit based on a stale read is refused with 409', async () => {
    const read = await find('prestamos', 'numero_cuotas');
    const saved = await ok<Definition>(await patch(read.id, { notas: 'Primera', actualizado_en: read.actualizado_en }));
    assert.notEqual(saved.actualizado_en, read.actualizado_en);
    await fails(
      await patch(read.id, { notas: 'Segunda', actualizado_en: read.actualizado_en }),
      409,
      'CONFLICT',
      /prestamos\.numero_cuotas fue modificada por otro usuario \(admin\.definiciones@rapicredit\.com\) el /,
    );
    await fails(
      await send(
        'DELETE',
        `${BASE}/${read.id}?actualizado_en=${encodeURIComponent(read.actualizado_en)}`,
        tokens.admin,
      ),
      409,
      'CONFLICT',
    );
    assert.equal((await find('prestamos', 'numero_cuotas')).notas, 'Primera');
    await ok(await patch(read.id, { notas: 'Segunda', actualizado_en: saved.actualizado_en }));
  });

  test('bad input is refused: unknown column, duplicate, wrong types, technical fields, unknown ids', async () => {
    await fails(
      await send('POST', BASE, tokens.admin, { tabla: 'prestamos', campo: 'no_existe', definicion: 'x' }),
      400,
      'INVALID_INPUT',
      /prestamos\.no_existe no existe/,
    );
    await fails(
      await send('POST', BASE, tokens.admin, { tabla: 'conversaciones_ai', campo: 'pregunta', definicion: 'x' }),
      400,
      'INVALID_INPUT',
    );
    await fails(
      await send('POST', BASE, tokens.admin, { tabla: 'prestamos', campo: 'estado', definicion: 'x' }),
      409,
      'CONFLICT',
      /Ya existe la definición de prestamos\.estado/,
    );
    const estado = await find('prestamos', 'estado');
    await fails(await patch(estado.id, { sinonimos: 'estatus' }), 400, 'INVALID_INPUT', /sinonimos/);
    await fails(await patch(estado.id, { activo: 'si' }), 400, 'INVALID_INPUT', /activo: debe ser true o false/);
    await fails(
      await patch(estado.id, { definicion: '   ' }),
      400,
      'INVALID_INPUT',
      /definicion: no puede estar vacía/,
    );
    await fails(
      await patch(estado.id, { tipo_dato: 'integer' }),
      400,
      'INVALID_INPUT',
      /^Datos no válidos: cuerpo: tipo_dato no se edita a mano: se lee de la base de datos al sincronizar las definiciones\.$/,
    );
    await fails(await patch(estado.id, {}), 400, 'INVALID_INPUT', /al menos un campo/);
    await fails(await patch(estado.id, { dato_personal: true, calificacion_id: 999_999 }), 404, 'NOT_FOUND');
    await fails(await patch(999_999, { notas: 'x' }), 404, 'NOT_FOUND', /No existe la definición 999999/);
    await fails(await send('DELETE', `${BASE}/999999`, tokens.admin), 404, 'NOT_FOUND');
    const cedula = await find('clientes', 'cedula');
    await fails(await patch(cedula.id, { dato_personal: false }), 400, 'INVALID_INPUT', /dato personal/);
  });

  test('create, edit and delete are recorded with who, when and the rating under review', async () => {
    const { rows: conversation } = await database.db.query<{ id: number }>(
      `INSERT INTO conversaciones_ai (pregunta, respuesta) VALUES ('¿ingreso?', 'No sé') RETURNING id`,
    );
    const { rows: rating } = await database.db.query<{ id: number }>(
      `INSERT INTO ai_calificaciones_chat (conversacion_id, pregunta, respuesta_ai, calificacion, usuario_email)
       VALUES ($1, '¿ingreso?', 'No sé', 'abajo', $2) RETURNING id`,
      [conversation[0]?.id, analyst.email],
    );
    const ratingId = rating[0]?.id as number;
    const income = await find('clientes', 'ingreso_mensual');
    await ok(await send('DELETE', `${BASE}/${income.id}`, tokens.admin));
    const created = await ok<Definition>(
      await send('POST', BASE, tokens.admin, {
        tabla: 'clientes',
        campo: 'ingreso_mensual',
        definicion: 'Ingreso mensual que declara el cliente, en dólares.',
        sinonimos: ['sueldo', 'Sueldo', 'salario'],
        calificacion_id: ratingId,
      }),
      201,
    );
    assert.equal(created.tipo_dato, 'numeric(14,2)', 'technical fields read from the database');
    assert.equal(created.es_obligatorio, false);
    assert.deepEqual(created.sinonimos, ['sueldo', 'salario']);
    assert.equal(created.actualizado_por_email, admin.email);
    await ok(await patch(created.id, { notas: 'Declarado, no verificado.', calificacion_id: ratingId }));

    const { rows } = await database.db.query<{
      accion: string;
      usuario_email: string;
      calificacion_id: number | null;
      creado_en: Date | null;
      antes: Record<string, unknown> | null;
      despues: Record<string, unknown> | null;
    }>(
      `SELECT accion, usuario_email, calificacion_id, creado_en, antes, despues FROM ai_historial_cambios
        WHERE entidad = 'definicion' AND registro_id IN ($1, $2) AND accion <> 'sincronizar' ORDER BY id`,
      [income.id, created.id],
    );
    assert.deepEqual(
      rows.map((row) => [row.accion, row.usuario_email, row.calificacion_id]),
      [
        ['eliminar', admin.email, null],
        ['crear', admin.email, ratingId],
        ['editar', admin.email, ratingId],
      ],
    );
    assert.ok(rows.every((row) => row.creado_en instanceof Date));
    const [removed, added, edited] = rows;
    assert.equal(removed?.antes?.definicion, income.definicion, 'the deleted definition is kept in the history');
    assert.equal(added?.despues?.definicion, 'Ingreso mensual que declara el cliente, en dólares.');
    assert.deepEqual([edited?.antes?.notas, edited?.despues?.notas], [null, 'Declarado, no verificado.']);
  });

  test('new sinonimos of a definition reach the question engine at once', async () => {
    const question = '¿Cuántos clientes hay por gremio?';
    const before = await ask(question);
    assert.doesNotMatch(before.sql ?? '', /GROUP BY clientes\.ocupacion/);
    assert.match(before.respuesta, /gremio/);

    const occupation = await find('clientes', 'ocupacion');
    await ok(await patch(occupation.id, { sinonimos: [...occupation.sinonimos, 'gremio'] }));

    const after = await ask(question);
    assert.match(after.sql ?? '', /GROUP BY clientes\.ocupacion/);
    assert.match(after.respuesta, /Comerciante · 2/);
  });
});

describe('rapicredit-ai definiciones (CLI)', () => {
  let workDir: string;
  let env: Record<string, string | undefined>;
  let dropServerDatabase: (() => Promise<void>) | undefined;

  function ok(result: CliResult): string {
    assert.equal(result.code, 0, result.stderr);
    return result.stdout;
  }

  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), 'rc-definiciones-cli-'));
    env = { RAPICREDIT_DATA_DIR: path.join(workDir, 'data') };
    if (onServer) {
      const server = await createServerDatabase();
      dropServerDatabase = server.drop;
      env.DATABASE_URL = server.url;
    }
    ok(await runCli(['seed', '--clientes', '40'], env));
  });
  after(async () => {
    await dropServerDatabase?.();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('sync, then list a table as JSON', async () => {
    const report = ok(await runCli(['definiciones', 'sync'], env));
    assert.match(report, /^Definiciones sincronizadas en \d+ ms: 23 creadas, \d+ actualizadas, \d+ sin cambios\./);
    assert.match(report, /Sin definición \(23;/);
    assert.match(report, /users: id, email, nombre, apellido, rol, activo/);

    const listed = JSON.parse(ok(await runCli(['definiciones', 'list', '--tabla', 'prestamos', '--json'], env))) as {
      total: number;
      definiciones: Definition[];
    };
    assert.equal(listed.total, 15);
    assert.ok(listed.definiciones.every((definition) => definition.tabla === 'prestamos'));
    const estado = listed.definiciones.find((definition) => definition.campo === 'estado');
    assert.deepEqual(estado?.valores_posibles, PRESTAMO_ESTADOS);
    assert.equal(estado?.tipo_dato, 'text');
    const notes = listed.definiciones.find((definition) => definition.campo === 'observaciones');
    assert.ok(notes?.dato_personal && notes.ejemplos_valores.every((example) => example.includes('•')));
  });

  test('update a definition by tabla.campo; bad input exits with a Spanish message', async () => {
    const updated = ok(
      await runCli(['definiciones', 'update', 'prestamos.analista', '--sinonimos', 'ejecutivo, ejecutiva'], env),
    );
    assert.match(updated, /^Definición actualizada\.\nDefinición #\d+: prestamos\.analista/);
    assert.match(updated, /Sinónimos: ejecutivo, ejecutiva/);
    assert.match(updated, /por cli:/);

    const wrong = await runCli(['definiciones', 'update', 'prestamos.analista', '--activo', 'quizas'], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /--activo debe ser «si» o «no»/);
  });
});
