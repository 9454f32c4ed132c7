import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import type { AppError } from '../../errors.ts';
import { authenticateUser } from './authenticate-user.ts';
import { createUser } from './create-user.ts';

const limits = { maxAttempts: 3, windowMinutes: 15 };

describe('authenticateUser', () => {
  let database: TestDatabase;
  const login = (email: string, password: string, ip = '10.0.0.1') =>
    authenticateUser({ db: database.db, email, password, ip, limits });
  const rejectsWith = (promise: Promise<unknown>, code: string, message: RegExp | string) =>
    assert.rejects(promise, (error: AppError) => {
      assert.equal(error.code, code);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
      return true;
    });

  before(async () => {
    database = await openTestDatabase();
    const input = { email: 'ana@rapicredit.com', password: 'clave-de-ana', rol: 'ANALISTA' };
    await createUser({ db: database.db, input });
    await createUser({ db: database.db, input: { ...input, email: 'baja@rapicredit.com' } });
    await database.db.query("UPDATE users SET activo = false WHERE email = 'baja@rapicredit.com'");
  });
  beforeEach(() => database.db.query('DELETE FROM intentos_login'));
  after(() => database.close());

  test('succeeds with any email case, stamps ultimo_acceso and records the attempt', async () => {
    const user = await login(' ANA@rapicredit.com', 'clave-de-ana');
    assert.equal(user.email, 'ana@rapicredit.com');
    assert.ok(user.ultimo_acceso instanceof Date);
    const { rows } = await database.db.query('SELECT email, ip, exitoso FROM intentos_login');
    assert.deepEqual(rows, [{ email: 'ana@rapicredit.com', ip: '10.0.0.1', exitoso: true }]);
  });

  test('a wrong password and an unknown email fail with the same message, and are recorded', async () => {
    await rejectsWith(login('ana@rapicredit.com', 'equivocada'), 'UNAUTHENTICATED', 'Correo o contraseña incorrectos.');
    await rejectsWith(
      login('nadie@rapicredit.com', 'equivocada'),
      'UNAUTHENTICATED',
      'Correo o contraseña incorrectos.',
    );
    const { rows } = await database.db.query('SELECT count(*) AS fallidos FROM intentos_login WHERE NOT exitoso');
    assert.deepEqual(rows, [{ fallidos: 2 }]);
  });

  test('an inactive user is refused even with the right password', async () => {
    await rejectsWith(login('baja@rapicredit.com', 'clave-de-ana'), 'UNAUTHENTICATED', /desactivado/);
  });

  test('after maxAttempts failures for an email even the right password is refused, saying when to retry', async () => {
    for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      await rejectsWith(login('ana@rapicredit.com', 'equivocada', ip), 'UNAUTHENTICATED', /incorrectos/);
    }
    await rejectsWith(
      login('ana@rapicredit.com', 'clave-de-ana', '10.0.0.4'),
      'RATE_LIMITED',
      'Demasiados intentos fallidos de inicio de sesión. Intente de nuevo en 15 minutos.',
    );
  });

  test('after maxAttempts failures from one IP, other emails from that IP are refused too', async () => {
    for (const email of ['a@x.com', 'b@x.com', 'c@x.com']) {
      await rejectsWith(login(email, 'equivocada', '10.9.9.9'), 'UNAUTHENTICATED', /incorrectos/);
    }
    await rejectsWith(login('ana@rapicredit.com', 'clave-de-ana', '10.9.9.9'), 'RATE_LIMITED', /Intente de nuevo/);
    assert.equal((await login('ana@rapicredit.com', 'clave-de-ana', '10.0.0.8')).email, 'ana@rapicredit.com');
  });

  test('failures older than the window, or before a success, do not count', async () => {
    const old = "now() - interval '16 minutes'";
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await database.db.query(
        `INSERT INTO intentos_login (email, ip, exitoso, creado_en) VALUES ('ana@rapicredit.com', '10.0.0.1', false, ${old})`,
      );
    }
    await login('ana@rapicredit.com', 'clave-de-ana');
    await rejectsWith(login('ana@rapicredit.com', 'equivocada', '10.0.0.5'), 'UNAUTHENTICATED', /incorrectos/);
    await rejectsWith(login('ana@rapicredit.com', 'equivocada', '10.0.0.6'), 'UNAUTHENTICATED', /incorrectos/);
    await login('ana@rapicredit.com', 'clave-de-ana', '10.0.0.7');
    await rejectsWith(login('ana@rapicredit.com', 'equivocada', '10.0.0.5'), 'UNAUTHENTICATED', /incorrectos/);
    assert.equal((await login('ana@rapicredit.com', 'clave-de-ana', '10.0.0.7')).email, 'ana@rapicredit.com');
  });
});
