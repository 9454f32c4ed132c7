import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createSession } from './create-session.ts';
import { createUser } from './create-user.ts';
import { resolveSession } from './resolve-session.ts';
import { purgeExpiredSessions } from './purge-expired-sessions.ts';
import { revokeSession } from './revoke-session.ts';

describe('createSession / resolveSession / revokeSession', () => {
  let database: TestDatabase;
  let userId: number;
  before(async () => {
    database = await openTestDatabase();
    const input = { email: 'luis@rapicredit.com', password: 'clave-de-luis', rol: 'ADMIN' };
    userId = (await createUser({ db: database.db, input })).id;
  });
  after(() => database.close());

  test('stores only the SHA-256 of the token; cookie sessions carry a CSRF token', async () => {
    const { db } = database;
    const session = await createSession({ db, userId, tipo: 'cookie', ttlHours: 2 });
    assert.equal(Buffer.from(session.token, 'base64url').length, 32);
    assert.ok(session.csrfToken);
    const hours = (session.expiraEn.getTime() - Date.now()) / 3_600_000;
    assert.ok(hours > 1.99 && hours <= 2, `expires in ${hours} h`);
    const { rows } = await db.query<{ token_hash: string }>('SELECT token_hash FROM sesiones');
    assert.deepEqual(rows, [{ token_hash: createHash('sha256').update(session.token).digest('hex') }]);
    const resolved = await resolveSession({ db, token: session.token, tipo: 'cookie' });
    assert.equal(resolved?.user.email, 'luis@rapicredit.com');
    assert.equal(resolved?.csrfToken, session.csrfToken);
  });

  test('a token only resolves as its own kind, and bearer sessions have no CSRF token', async () => {
    const { db } = database;
    const session = await createSession({ db, userId, tipo: 'bearer', ttlHours: 1 });
    assert.equal(session.csrfToken, null);
    assert.equal(await resolveSession({ db, token: session.token, tipo: 'cookie' }), undefined);
    assert.equal((await resolveSession({ db, token: session.token, tipo: 'bearer' }))?.tipo, 'bearer');
  });

  test('expired, revoked and unknown tokens do not resolve', async () => {
    const { db } = database;
    const expiring = await createSession({ db, userId, tipo: 'bearer', ttlHours: 1 });
    await db.query("UPDATE sesiones SET expira_en = now() - interval '1 second' WHERE token_hash = $1", [
      createHash('sha256').update(expiring.token).digest('hex'),
    ]);
    assert.equal(await resolveSession({ db, token: expiring.token, tipo: 'bearer' }), undefined);

    const revoked = await createSession({ db, userId, tipo: 'bearer', ttlHours: 1 });
    const live = await resolveSession({ db, token: revoked.token, tipo: 'bearer' });
    assert.equal(await revokeSession({ db, sessionId: live?.id ?? 0 }), true);
    assert.equal(await revokeSession({ db, sessionId: live?.id ?? 0 }), false);
    assert.equal(await resolveSession({ db, token: revoked.token, tipo: 'bearer' }), undefined);

    assert.equal(await resolveSession({ db, token: 'desconocido', tipo: 'bearer' }), undefined);
  });

  test('a deactivated user loses their sessions', async () => {
    const { db } = database;
    const session = await createSession({ db, userId, tipo: 'bearer', ttlHours: 1 });
    await db.query('UPDATE users SET activo = false WHERE id = $1', [userId]);
    assert.equal(await resolveSession({ db, token: session.token, tipo: 'bearer' }), undefined);
    await db.query('UPDATE users SET activo = true WHERE id = $1', [userId]);
  });

  test('the purge removes long-ended sessions and old login attempts, and keeps live ones', async () => {
    const { db } = database;
    const live = await createSession({ db, userId, tipo: 'bearer', ttlHours: 1 });
    const old = await createSession({ db, userId, tipo: 'bearer', ttlHours: 1 });
    await db.query("UPDATE sesiones SET expira_en = now() - interval '8 days' WHERE token_hash = $1", [
      createHash('sha256').update(old.token).digest('hex'),
    ]);
    await db.query(
      "INSERT INTO intentos_login (email, ip, exitoso, creado_en) VALUES ('a@b.com', '1.1.1.1', false, now() - interval '91 days'), ('a@b.com', '1.1.1.1', false, now())",
    );
    const purged = await purgeExpiredSessions({ db });
    assert.equal(purged.sesiones, 1);
    assert.equal(purged.intentosLogin, 1);
    assert.ok(await resolveSession({ db, token: live.token, tipo: 'bearer' }));
    assert.equal(await resolveSession({ db, token: old.token, tipo: 'bearer' }), undefined);
  });
});
