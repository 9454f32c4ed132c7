import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { startJobQueue } from './job-queue.ts';

let testDb: TestDatabase;
before(async () => {
  testDb = await openTestDatabase();
});
after(() => testDb.close());

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('a job queued at start runs once in the worker; a failing job is retried', async () => {
  const runs: unknown[] = [];
  let failures = 0;
  const queue = await startJobQueue({
    db: testDb.db,
    timeZone: 'America/Caracas',
    work: true,
    onError: () => undefined,
    jobs: [
      { name: 'anotar', runAtStart: true, run: async (data) => runs.push(data ?? 'inicio') },
      {
        name: 'fallar-una-vez',
        run: async () => {
          failures += 1;
          if (failures === 1) throw new Error('fallo transitorio');
        },
      },
    ],
  });
  try {
    await queue.send('anotar', { prestamo: 94 });
    await queue.send('fallar-una-vez');
    await waitFor(async () => runs.length === 2, 'both anotar jobs');
    assert.deepEqual(new Set(runs.map((run) => JSON.stringify(run))), new Set(['"inicio"', '{"prestamo":94}']));
    const { rows } = await testDb.db.query<{ total: number }>(
      "SELECT count(*) AS total FROM pgboss.job WHERE name = 'anotar'",
    );
    assert.equal(rows[0]?.total, 2, 'jobs are stored in PostgreSQL');
  } finally {
    await queue.stop();
  }
  assert.equal(failures, 1, 'the retry waits for its backoff, so only the first attempt ran here');
  const { rows } = await testDb.db.query<{ state: string; retry_count: number }>(
    "SELECT state, retry_count FROM pgboss.job WHERE name = 'fallar-una-vez'",
  );
  assert.equal(rows[0]?.state, 'retry', 'the failed attempt is kept for a retry, not lost');
});
