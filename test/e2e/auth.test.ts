import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { createApp, startHttpServer } from '../../src/http/index.ts';
import { createUser } from '../../src/modules/users/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

type App = ReturnType<typeof createApp>;
interface ErrorBody {
  error: { codigo: string; mensaje: string };
}

const admin = {
  email: 'admin@rapicredit.com',
  password: 'clave-admin-1',
  rol: 'ADMIN',
  nombre: 'Ada',
  apellido: 'Rey',
};
const analyst = { email: 'analista@rapicredit.com', password: 'clave-analista', rol: 'ANALISTA' };
const config = loadConfig({ RAPICREDIT_DATA_DIR: 'memory://', RAPICREDIT_LOGIN_MAX_INTENTOS: '3' });

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const cookie = (token: string) => ({ cookie: `rc_sesion=${token}` });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function expectError(response: Response, status: number, codigo: string, mensaje?: string | RegExp) {
  const body = (await response.json()) as ErrorBody;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.error.codigo, codigo);
  if (typeof mensaje === 'string') assert.equal(body.error.mensaje, mensaje);
  else if (mensaje) assert.match(body.error.mensaje, mensaje);
}

async function loginBearer(app: App, user: { email: string; password: string }): Promise<string> {
  const response = await app.request('/api/v1/auth/login', json({ ...user, tipo: 'bearer' }));
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

async function loginCookie(app: App, user: { email: string; password: string }) {
  const response = await app.request('/api/v1/auth/login', json(user));
  assert.equal(response.status, 200);
  const token = /rc_sesion=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(token, 'the login sets the session cookie');
  const body = (await response.json()) as { csrfToken: string; token?: string };
  assert.equal(body.token, undefined, 'a cookie login does not expose the token in the body');
  return { token, csrfToken: body.csrfToken };
}

describe('HTTP API: authentication and roles', () => {
  let database: TestDatabase;
  let app: App;

  before(async () => {
    database = await openTestDatabase();
    app = createApp({ db: database.db, config });
    await createUser({ db: database.db, input: admin });
    await createUser({ db: database.db, input: analyst });
  });
  // Requests made with app.request share one (unknown) client address, so attempts must not pile up.
  beforeEach(() => database.db.query('DELETE FROM intentos_login'));
  after(() => database.close());

  test('passwords are stored as argon2id hashes', async () => {
    const { rows } = await database.db.query<{ password_hash: string }>('SELECT password_hash FROM users');
    assert.equal(rows.length, 2);
    for (const row of rows) assert.match(row.password_hash, /^\$argon2id\$/);
  });

  test('a wrong password and an unknown email get the same 401', async () => {
    const wrong = await app.request('/api/v1/auth/login', json({ email: admin.email, password: 'equivocada' }));
    await expectError(wrong, 401, 'UNAUTHENTICATED', 'Correo o contraseña incorrectos.');
    const unknown = await app.request('/api/v1/auth/login', json({ email: 'nadie@x.com', password: 'equivocada' }));
    await expectError(unknown, 401, 'UNAUTHENTICATED', 'Correo o contraseña incorrectos.');
  });

  test('an ANALISTA gets 403 on GET /usuarios; an ADMIN gets the users without hashes', async () => {
    const forbidden = await app.request('/api/v1/usuarios', { headers: bearer(await loginBearer(app, analyst)) });
    await expectError(forbidden, 403, 'FORBIDDEN', /requiere el rol ADMIN/);

    const response = await app.request('/api/v1/usuarios', { headers: bearer(await loginBearer(app, admin)) });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.doesNotMatch(text, /password_hash|\$argon2/);
    const body = JSON.parse(text) as { usuarios: { email: string; rol: string }[] };
    assert.deepEqual(
      body.usuarios.map((user) => [user.email, user.rol]),
      [
        [admin.email, 'ADMIN'],
        [analyst.email, 'ANALISTA'],
      ],
    );
  });

  test('a cookie session needs X-CSRF-Token on POST; with it the request works', async () => {
    const session = await loginCookie(app, admin);
    const newUser = { email: 'nuevo@rapicredit.com', password: 'clave-nueva', rol: 'ANALISTA' };
    const missing = await app.request('/api/v1/usuarios', json(newUser, cookie(session.token)));
    await expectError(missing, 403, 'FORBIDDEN', /X-CSRF-Token/);
    const wrong = await app.request(
      '/api/v1/usuarios',
      json(newUser, { ...cookie(session.token), 'x-csrf-token': 'x' }),
    );
    await expectError(wrong, 403, 'FORBIDDEN', /X-CSRF-Token/);

    const headers = { ...cookie(session.token), 'x-csrf-token': session.csrfToken };
    const created = await app.request('/api/v1/usuarios', json(newUser, headers));
    assert.equal(created.status, 201);
    assert.equal(((await created.json()) as { email: string }).email, 'nuevo@rapicredit.com');
    const duplicate = await app.request('/api/v1/usuarios', json(newUser, headers));
    await expectError(duplicate, 409, 'CONFLICT', 'Ya existe un usuario con el correo nuevo@rapicredit.com.');
    const me = await app.request('/api/v1/auth/yo', { headers: cookie(session.token) });
    assert.equal(me.status, 200, 'GET needs no CSRF token');
  });

  test('a bearer token works without a CSRF token, and a cookie token is not accepted as bearer', async () => {
    const token = await loginBearer(app, admin);
    const newUser = { email: 'bearer@rapicredit.com', password: 'clave-nueva', rol: 'ANALISTA' };
    assert.equal((await app.request('/api/v1/usuarios', json(newUser, bearer(token)))).status, 201);
    const invalid = await app.request('/api/v1/usuarios', json({ email: 'x' }, bearer(token)));
    await expectError(invalid, 400, 'INVALID_INPUT', /email: no es un correo válido; password: es obligatoria/);

    const { token: cookieToken } = await loginCookie(app, admin);
    await expectError(await app.request('/api/v1/auth/yo', { headers: bearer(cookieToken) }), 401, 'UNAUTHENTICATED');
  });

  test('GET /auth/yo shows the current user without the hash', async () => {
    const response = await app.request('/api/v1/auth/yo', { headers: bearer(await loginBearer(app, analyst)) });
    const body = (await response.json()) as { usuario: Record<string, unknown>; tipo: string };
    assert.equal(body.usuario.email, analyst.email);
    assert.equal(body.tipo, 'bearer');
    assert.equal('password_hash' in body.usuario, false);
  });

  test('after logout the same bearer token and the same cookie get 401', async () => {
    const token = await loginBearer(app, analyst);
    assert.equal((await app.request('/api/v1/auth/logout', { method: 'POST', headers: bearer(token) })).status, 204);
    await expectError(await app.request('/api/v1/auth/yo', { headers: bearer(token) }), 401, 'UNAUTHENTICATED');

    const session = await loginCookie(app, analyst);
    const headers = { ...cookie(session.token), 'x-csrf-token': session.csrfToken };
    const logout = await app.request('/api/v1/auth/logout', { method: 'POST', headers });
    assert.equal(logout.status, 204);
    assert.match(logout.headers.get('set-cookie') ?? '', /rc_sesion=;.*Max-Age=0/);
    const after = await app.request('/api/v1/auth/yo', { headers: cookie(session.token) });
    await expectError(after, 401, 'UNAUTHENTICATED', /ha expirado/);
  });

  test('an expired session gets 401', async () => {
    const token = await loginBearer(app, admin);
    await database.db.query("UPDATE sesiones SET expira_en = now() - interval '1 second' WHERE token_hash = $1", [
      sha256(token),
    ]);
    await expectError(await app.request('/api/v1/auth/yo', { headers: bearer(token) }), 401, 'UNAUTHENTICATED');
  });

  test('after maxAttempts (3) failures the login is refused with 429, even with the right password', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await app.request('/api/v1/auth/login', json({ email: admin.email, password: 'mala' }));
      await expectError(response, 401, 'UNAUTHENTICATED');
    }
    const limited = await app.request('/api/v1/auth/login', json({ email: admin.email, password: admin.password }));
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After header');
    await expectError(limited, 429, 'RATE_LIMITED', /Intente de nuevo en 15 minutos/);
    const { rows } = await database.db.query('SELECT count(*) AS total FROM intentos_login WHERE email = $1', [
      admin.email,
    ]);
    assert.deepEqual(rows, [{ total: 4 }], 'every attempt is recorded');
  });

  test('every non-public route in the OpenAPI document needs a session, and checks the role', async () => {
    const document = (await (await app.request('/api/v1/openapi.json')).json()) as {
      openapi: string;
      components: { securitySchemes: Record<string, { type: string }> };
      paths: Record<string, Record<string, { 'x-roles': 'public' | string[]; security: unknown[] }>>;
    };
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.components.securitySchemes).sort(), ['bearerToken', 'cookieSesion']);
    const analystToken = await loginBearer(app, analyst);
    let protectedRoutes = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const roles = operation['x-roles'];
        assert.ok(roles === 'public' || (Array.isArray(roles) && roles.length > 0), `${method} ${path} declares roles`);
        if (roles === 'public') continue;
        protectedRoutes += 1;
        assert.ok(operation.security.length > 0, `${method} ${path} lists its security`);
        const url = path.replaceAll(/\{[^}]+\}/g, '1');
        const anonymous = await app.request(url, { method: method.toUpperCase() });
        await expectError(anonymous, 401, 'UNAUTHENTICATED', 'Inicie sesión para continuar.');
        if (!roles.includes('ANALISTA')) {
          const wrongRole = await app.request(url, { method: method.toUpperCase(), headers: bearer(analystToken) });
          await expectError(wrongRole, 403, 'FORBIDDEN');
        }
      }
    }
    assert.ok(protectedRoutes >= 6, `found ${protectedRoutes} protected routes`);
  });
});

describe('HTTP API: loans, health and errors', () => {
  let database: TestDatabase;
  let app: App;
  let token: string;
  let clientId: number;
  let loanId: number;

  before(async () => {
    database = await openTestDatabase();
    app = createApp({ db: database.db, config });
    await createUser({ db: database.db, input: analyst });
    token = await loginBearer(app, analyst);
    const { db } = database;
    const client = await db.query<{ id: number }>(
      "INSERT INTO clientes (cedula, nombres) VALUES ('V12345678', 'Rosa Díaz') RETURNING id",
    );
    clientId = client.rows[0]?.id ?? 0;
    const loan = await db.query<{ id: number }>(
      `INSERT INTO prestamos (cliente_id, producto, total_financiamiento, tasa_interes, modalidad_pago, numero_cuotas,
                              cuota_periodo, fecha_requerimiento, fecha_aprobacion, estado)
       VALUES ($1, 'MOTO', 350, 24, 'MENSUAL', 3, 125.5, CURRENT_DATE - 70, CURRENT_DATE - 65, 'APROBADO')
       RETURNING id`,
      [clientId],
    );
    loanId = loan.rows[0]?.id ?? 0;
    // Inserted out of order: the API must sort by numero_cuota.
    await db.query(
      `INSERT INTO cuotas (prestamo_id, numero_cuota, fecha_vencimiento, monto_cuota, total_pagado, estado, dias_mora)
       VALUES ($1, 3, CURRENT_DATE + 20, 125.5, 0, 'PENDIENTE', 0),
              ($1, 1, CURRENT_DATE - 40, 125.5, 125.5, 'PAGADO', 0),
              ($1, 2, CURRENT_DATE - 10, 125.5, 40.25, 'PARCIAL', 10)`,
      [loanId],
    );
  });
  after(() => database.close());

  test('GET /prestamos/{id} returns the cuotas in order and the saldo pendiente', async () => {
    const response = await app.request(`/api/v1/prestamos/${loanId}`, { headers: bearer(token) });
    assert.equal(response.status, 200);
    const loan = (await response.json()) as {
      id: number;
      cliente_cedula: string;
      saldo_pendiente: number;
      cuotas: { numero_cuota: number; estado: string; total_pagado: number }[];
    };
    assert.equal(loan.id, loanId);
    assert.equal(loan.cliente_cedula, 'V12345678');
    assert.deepEqual(
      loan.cuotas.map((cuota) => [cuota.numero_cuota, cuota.estado, cuota.total_pagado]),
      [
        [1, 'PAGADO', 125.5],
        [2, 'PARCIAL', 40.25],
        [3, 'PENDIENTE', 0],
      ],
    );
    assert.equal(loan.saldo_pendiente, 85.25 + 125.5);
  });

  test('GET /clientes/{id} returns the client with a summary of its loans', async () => {
    const response = await app.request(`/api/v1/clientes/${clientId}`, { headers: bearer(token) });
    assert.equal(response.status, 200);
    const client = (await response.json()) as { nombres: string; prestamos: Record<string, unknown>[] };
    assert.equal(client.nombres, 'Rosa Díaz');
    assert.deepEqual(
      client.prestamos.map(({ id, saldo_pendiente, cuotas_vencidas }) => ({ id, saldo_pendiente, cuotas_vencidas })),
      [{ id: loanId, saldo_pendiente: 210.75, cuotas_vencidas: 1 }],
    );
  });

  test('an unknown id is a Spanish 404; a non-numeric id is a 400', async () => {
    const missing = await app.request('/api/v1/prestamos/999', { headers: bearer(token) });
    await expectError(missing, 404, 'NOT_FOUND', 'No existe el préstamo 999.');
    const missingClient = await app.request('/api/v1/clientes/999', { headers: bearer(token) });
    await expectError(missingClient, 404, 'NOT_FOUND', 'No existe el cliente 999.');
    for (const id of ['abc', '1.5', '-1', '0', '99999999999']) {
      const response = await app.request(`/api/v1/prestamos/${id}`, { headers: bearer(token) });
      await expectError(response, 400, 'INVALID_INPUT', /id: debe ser un número entero positivo/);
    }
  });

  test('unknown routes, malformed JSON and non-JSON bodies get Spanish error bodies', async () => {
    await expectError(await app.request('/api/v1/nada'), 404, 'NOT_FOUND', 'No existe la ruta GET /api/v1/nada.');
    const malformed = await app.request('/api/v1/auth/login', {
      method: 'POST',
      body: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    await expectError(malformed, 400, 'INVALID_INPUT', 'El cuerpo de la solicitud no es un JSON válido.');
    const text = await app.request('/api/v1/auth/login', { method: 'POST', body: 'hola', headers: {} });
    await expectError(text, 400, 'INVALID_INPUT');
    const notObject = await app.request('/api/v1/auth/login', json([1, 2]));
    await expectError(notObject, 400, 'INVALID_INPUT', 'Datos no válidos: cuerpo: debe ser un objeto JSON.');
  });

  test('a JSON body over 1 MB is refused with 413 before it is parsed', async () => {
    const huge = JSON.stringify({ email: 'a@b.com', password: 'x'.repeat(1_200_000) });
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST',
      body: huge,
      headers: { 'content-type': 'application/json', 'content-length': String(huge.length) },
    });
    await expectError(response, 413, 'PAYLOAD_TOO_LARGE', /1 MB/);
  });

  test('an unexpected failure is a generic 500 that does not leak the cause', async (context) => {
    const errors = context.mock.method(console, 'error', () => undefined);
    const broken = createApp({
      db: { ...database.db, query: () => Promise.reject(new Error('secreto interno')) },
      config,
    });
    const response = await broken.request('/api/v1/salud');
    const text = await response.text();
    assert.equal(response.status, 500);
    assert.doesNotMatch(text, /secreto/);
    assert.equal((JSON.parse(text) as ErrorBody).error.codigo, 'INTERNAL');
    assert.equal(errors.mock.callCount(), 1, 'the stack is logged');
  });

  test('over a real socket: health, cookie login, CSRF-protected POST and logout', async () => {
    const server = await startHttpServer({ app, host: '127.0.0.1', port: 0 });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.url, 'http://127.0.0.1:0');
      const health = await fetch(`${server.url}/api/v1/salud`);
      assert.deepEqual(await health.json(), {
        estado: 'ok',
        base_datos: database.db.kind,
        version: '0.1.0',
      });

      const login = await fetch(
        `${server.url}/api/v1/auth/login`,
        json({ email: analyst.email, password: analyst.password }),
      );
      assert.equal(login.status, 200);
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.match(setCookie, /Path=\//);
      const sessionCookie = setCookie.split(';')[0] ?? '';
      const { csrfToken } = (await login.json()) as { csrfToken: string };

      const loan = await fetch(`${server.url}/api/v1/prestamos/${loanId}`, { headers: { cookie: sessionCookie } });
      assert.equal(loan.status, 200);
      const noCsrf = await fetch(`${server.url}/api/v1/auth/logout`, {
        method: 'POST',
        headers: { cookie: sessionCookie },
      });
      await expectError(noCsrf, 403, 'FORBIDDEN');
      const logout = await fetch(`${server.url}/api/v1/auth/logout`, {
        method: 'POST',
        headers: { cookie: sessionCookie, 'x-csrf-token': csrfToken },
      });
      assert.equal(logout.status, 204);
      const gone = await fetch(`${server.url}/api/v1/auth/yo`, { headers: { cookie: sessionCookie } });
      await expectError(gone, 401, 'UNAUTHENTICATED');
      const { rows } = await database.db.query<{ ip: string }>('SELECT DISTINCT ip FROM intentos_login');
      assert.ok(
        rows.some((row) => row.ip === '127.0.0.1'),
        'the socket address is used for rate limiting',
      );
    } finally {
      await server.close();
    }
  });

  test('the cookie is Secure when the configuration asks for it', async () => {
    const secureConfig = { ...config, session: { ...config.session, secureCookie: true } };
    const secureApp = createApp({ db: database.db, config: secureConfig });
    const login = await secureApp.request(
      '/api/v1/auth/login',
      json({ email: analyst.email, password: analyst.password }),
    );
    assert.match(login.headers.get('set-cookie') ?? '', /; Secure/);
  });
});
