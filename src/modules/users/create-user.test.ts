import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { AppError } from '../../errors.ts';
import { createUser } from './create-user.ts';
import { ensureUser } from './ensure-user.ts';
import { listUsers } from './list-users.ts';

describe('createUser / ensureUser / listUsers', () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase();
  });
  after(() => database.close());

  test('stores a trimmed lowercase email and an argon2id hash, never the password', async () => {
    const { db } = database;
    const input = {
      email: '  Marta.Perez@RapiCredit.com ',
      password: 'clave-segura',
      rol: 'ANALISTA',
      nombre: 'Marta',
    };
    const user = await createUser({ db, input });
    assert.equal(user.email, 'marta.perez@rapicredit.com');
    assert.equal(user.apellido, '');
    assert.equal('password_hash' in user, false);
    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [
      user.id,
    ]);
    assert.match(rows[0]?.password_hash ?? '', /^\$argon2id\$/);
    assert.equal(rows[0]?.password_hash.includes('clave-segura'), false);
  });

  test('a taken email (in any case) is a CONFLICT with a Spanish message', async () => {
    const input = { email: 'MARTA.PEREZ@rapicredit.com', password: 'otra-clave', rol: 'ADMIN' };
    await assert.rejects(createUser({ db: database.db, input }), (error: AppError) => {
      assert.equal(error.code, 'CONFLICT');
      assert.equal(error.message, 'Ya existe un usuario con el correo marta.perez@rapicredit.com.');
      return true;
    });
  });

  test('invalid input is INVALID_INPUT naming every bad field', async () => {
    const input = { email: 'no-es-correo', password: 'corta', rol: 'JEFE' };
    await assert.rejects(createUser({ db: database.db, input }), (error: AppError) => {
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, /email: no es un correo válido/);
      assert.match(error.message, /password: debe tener al menos 8 caracteres/);
      assert.match(error.message, /rol: debe ser ADMIN o ANALISTA/);
      return true;
    });
  });

  test('ensureUser creates once, then reports the existing user', async () => {
    const input = { email: 'admin@demo.com', password: 'clave-admin', rol: 'ADMIN', nombre: 'Ada', apellido: 'Gil' };
    const first = await ensureUser({ db: database.db, input });
    const second = await ensureUser({ db: database.db, input: { ...input, email: ' ADMIN@demo.com' } });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.user.id, first.user.id);
    assert.equal(second.passwordMatches, true);
    assert.doesNotMatch(JSON.stringify(second.user), /argon2/, 'the hash never leaves the module');
    const changed = await ensureUser({ db: database.db, input: { ...input, password: 'otra-clave-distinta' } });
    assert.equal(changed.passwordMatches, false, 'a changed password is detected, so it is not printed');
  });

  test('listUsers returns every user without password hashes', async () => {
    const users = await listUsers({ db: database.db });
    assert.deepEqual(
      users.map((user) => user.email),
      ['marta.perez@rapicredit.com', 'admin@demo.com'],
    );
    assert.doesNotMatch(JSON.stringify(users), /password_hash|\$argon2/);
  });
});
