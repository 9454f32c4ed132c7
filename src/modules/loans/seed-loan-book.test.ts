import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { insertClient, insertLoan } from '../../../test/factories.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { seedLoanBook, type SeedLoanBookReport } from './seed-loan-book.ts';

const CLIENTS = 500;
const SEED = 'prueba-cartera';

async function single<Row>(db: Database, sql: string): Promise<Row> {
  const { rows } = await db.query<Row>(sql);
  assert.ok(rows[0], `no row from: ${sql}`);
  return rows[0];
}

const count = async (db: Database, sql: string) => (await single<{ n: number }>(db, sql)).n;

/** A fingerprint of every row of the four tables, in id order. */
async function bookHash(db: Database): Promise<string> {
  const hashes: string[] = [];
  for (const table of ['clientes', 'prestamos', 'cuotas', 'pagos']) {
    const row = await single<{ hash: string }>(
      db,
      `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS hash FROM ${table} t`,
    );
    hashes.push(row.hash);
  }
  return hashes.join(':');
}

// Every cuota against the spec's definitions as of CURRENT_DATE and against its own pagos.
const CUOTA_VIOLATIONS = `
  WITH paid AS (SELECT cuota_id, sum(monto_pagado) AS total, max(fecha_pago) AS last FROM pagos GROUP BY cuota_id)
  SELECT count(*) AS n FROM cuotas q LEFT JOIN paid p ON p.cuota_id = q.id
  WHERE q.total_pagado <> coalesce(p.total, 0) OR q.total_pagado > q.monto_cuota OR CASE
    WHEN q.total_pagado = q.monto_cuota THEN NOT (q.estado = 'PAGADO' AND q.fecha_pago = p.last
      AND q.dias_mora = greatest(0, q.fecha_pago - q.fecha_vencimiento))
    WHEN q.fecha_vencimiento < CURRENT_DATE THEN NOT (q.fecha_pago IS NULL AND q.dias_mora = CURRENT_DATE - q.fecha_vencimiento
      AND q.estado = CASE WHEN q.total_pagado > 0 THEN 'PARCIAL' ELSE 'ATRASADO' END)
    ELSE NOT (q.fecha_pago IS NULL AND q.dias_mora = 0
      AND q.estado = CASE WHEN q.total_pagado > 0 THEN 'ADELANTADO' ELSE 'PENDIENTE' END)
  END`;

const LOAN_VIOLATIONS = `
  SELECT count(*) AS n FROM prestamos p
  WHERE CASE p.estado
    WHEN 'FINALIZADO' THEN p.fecha_aprobacion IS NULL
      OR EXISTS (SELECT 1 FROM cuotas q WHERE q.prestamo_id = p.id AND q.estado <> 'PAGADO')
    WHEN 'APROBADO' THEN p.fecha_aprobacion IS NULL
      OR NOT EXISTS (SELECT 1 FROM cuotas q WHERE q.prestamo_id = p.id AND q.estado <> 'PAGADO')
    ELSE p.fecha_aprobacion IS NOT NULL OR EXISTS (SELECT 1 FROM cuotas q WHERE q.prestamo_id = p.id)
  END
  OR (p.estado IN ('APROBADO', 'FINALIZADO')
    AND (SELECT count(*) FROM cuotas q WHERE q.prestamo_id = p.id) <> p.numero_cuotas)
  OR (p.estado IN ('DRAFT', 'EN_REVISION') AND p.fecha_requerimiento < CURRENT_DATE - 31)`;

const SCHEDULE_VIOLATIONS = `
  SELECT count(*) AS n FROM prestamos p JOIN LATERAL (
    SELECT sum(monto_capital) AS capital, min(fecha_vencimiento) AS first_due,
           bool_and(monto_cuota = monto_capital + monto_interes) AS adds_up,
           bool_and(monto_cuota = p.cuota_periodo OR numero_cuota = p.numero_cuotas) AS regular,
           (array_agg(saldo_capital_final ORDER BY numero_cuota DESC))[1] AS last_balance
    FROM cuotas WHERE prestamo_id = p.id) s ON true
  WHERE p.estado IN ('APROBADO', 'FINALIZADO')
    AND (s.capital <> p.total_financiamiento OR s.last_balance <> 0 OR NOT s.adds_up OR NOT s.regular
      OR s.first_due <= p.fecha_aprobacion)`;

const CLIENT_VIOLATIONS = `
  SELECT count(*) AS n FROM clientes c WHERE c.estado <> CASE
    WHEN EXISTS (SELECT 1 FROM prestamos p WHERE p.cliente_id = c.id AND p.estado IN ('APROBADO', 'DRAFT', 'EN_REVISION'))
      THEN 'ACTIVO'
    WHEN NOT EXISTS (SELECT 1 FROM prestamos p WHERE p.cliente_id = c.id AND p.estado <> 'FINALIZADO') THEN 'FINALIZADO'
    ELSE 'INACTIVO' END`;

const PAGO_VIOLATIONS = `
  SELECT count(*) AS n FROM pagos g
    JOIN prestamos p ON p.id = g.prestamo_id LEFT JOIN cuotas q ON q.id = g.cuota_id
  WHERE q.id IS NULL OR q.prestamo_id <> g.prestamo_id OR g.cliente_id <> p.cliente_id
    OR g.fecha_pago > CURRENT_DATE OR g.fecha_pago <= p.fecha_aprobacion
    OR (g.metodo_pago = 'EFECTIVO') <> (g.institucion_bancaria IS NULL) OR g.numero_documento IS NULL
    OR g.usuario_registro NOT LIKE '%@rapicredit.com'`;

// Monthly equivalent of the installment over the monthly income, and whether the loan has fallen
// into mora (a cuota vencida now, or one that was paid more than 30 days late).
const RISK_BY_QUARTILE = `
  WITH loans AS (
    SELECT p.cuota_periodo * CASE p.modalidad_pago WHEN 'MENSUAL' THEN 12 WHEN 'QUINCENAL' THEN 24 ELSE 52 END
             / 12.0 / c.ingreso_mensual AS ratio,
           EXISTS (SELECT 1 FROM cuotas q WHERE q.prestamo_id = p.id AND (q.dias_mora > 30
             OR (q.fecha_vencimiento < CURRENT_DATE AND q.estado IN ('ATRASADO', 'PARCIAL')))) AS en_mora
    FROM prestamos p JOIN clientes c ON c.id = p.cliente_id WHERE p.estado IN ('APROBADO', 'FINALIZADO')),
  ranked AS (SELECT en_mora, ntile(4) OVER (ORDER BY ratio) AS quartile FROM loans)
  SELECT quartile, avg(en_mora::int)::float8 AS share FROM ranked GROUP BY quartile ORDER BY quartile`;

describe('seedLoanBook', () => {
  let database: TestDatabase;
  let db: Database;
  let report: SeedLoanBookReport;
  let hash: string;

  before(async () => {
    database = await openTestDatabase();
    db = database.db;
    report = await seedLoanBook({ db, clientes: CLIENTS, semilla: SEED, reset: false, clientesPorLote: 150 });
    hash = await bookHash(db);
  });
  after(() => database.close());

  test('reports what it wrote, as of the database date', async () => {
    const today = await single<{ hoy: string }>(db, 'SELECT CURRENT_DATE::text AS hoy');
    assert.equal(report.hoy, today.hoy);
    assert.equal(report.semilla, SEED);
    for (const table of ['clientes', 'prestamos', 'cuotas', 'pagos'] as const) {
      assert.equal(await count(db, `SELECT count(*) AS n FROM ${table}`), report.filas[table], table);
    }
    assert.equal(report.filas.clientes, CLIENTS);
    assert.ok(report.filas.cuotas > report.filas.prestamos * 5, 'loans come with their schedules');
    assert.ok(report.generacionMs > 0 && report.escrituraMs > 0);
  });

  test('every cuota agrees with its pagos and with the state definitions as of today', async () => {
    assert.equal(await count(db, CUOTA_VIOLATIONS), 0);
  });

  test('loans, schedules and clients are in the states their cuotas imply', async () => {
    assert.equal(await count(db, LOAN_VIOLATIONS), 0);
    assert.equal(await count(db, SCHEDULE_VIOLATIONS), 0);
    assert.equal(await count(db, CLIENT_VIOLATIONS), 0);
  });

  test('every pago belongs to a cuota of its loan and client, dated between approval and today', async () => {
    assert.equal(await count(db, PAGO_VIOLATIONS), 0);
    assert.ok((await count(db, 'SELECT count(*) AS n FROM pagos WHERE cuota_id IS NOT NULL')) > 1000);
  });

  test('cédulas are valid, unique and mostly V, with a few E and J', async () => {
    const row = await single<{ invalid: number; distinct: number; total: number; v: number; e: number; j: number }>(
      db,
      `SELECT count(*) FILTER (WHERE cedula !~ '^[VEJ][0-9]{6,10}$') AS invalid, count(DISTINCT cedula) AS distinct,
              count(*) AS total, count(*) FILTER (WHERE cedula LIKE 'V%') AS v,
              count(*) FILTER (WHERE cedula LIKE 'E%') AS e, count(*) FILTER (WHERE cedula LIKE 'J%') AS j
       FROM clientes`,
    );
    assert.equal(row.invalid, 0);
    assert.equal(row.distinct, row.total);
    assert.ok(row.v > row.total * 0.8 && row.e > 0 && row.j > 0, JSON.stringify(row));
  });

  test('the book has every product, modality, loan state and cuota state, and 5 to 8 analysts', async () => {
    const values = async (column: string, table: string) =>
      (await db.query<{ value: string }>(`SELECT DISTINCT ${column} AS value FROM ${table} ORDER BY 1`)).rows.map(
        (row) => row.value,
      );
    assert.deepEqual(await values('producto', 'prestamos'), ['COMERCIAL', 'MOTO', 'PERSONAL', 'VEHICULO']);
    assert.deepEqual(await values('modalidad_pago', 'prestamos'), ['MENSUAL', 'QUINCENAL', 'SEMANAL']);
    assert.deepEqual(await values('estado', 'prestamos'), [
      'APROBADO',
      'DRAFT',
      'EN_REVISION',
      'FINALIZADO',
      'RECHAZADO',
    ]);
    assert.deepEqual(await values('estado', 'cuotas'), ['ADELANTADO', 'ATRASADO', 'PAGADO', 'PARCIAL', 'PENDIENTE']);
    assert.deepEqual(await values('metodo_pago', 'pagos'), ['DEPOSITO', 'EFECTIVO', 'PAGO_MOVIL', 'TRANSFERENCIA']);
    const analysts = await count(db, 'SELECT count(DISTINCT analista) AS n FROM prestamos');
    assert.ok(analysts >= 5 && analysts <= 8, `${analysts} analysts`);
    const misplacedDealers = await count(
      db,
      `SELECT count(*) AS n FROM prestamos WHERE (producto IN ('MOTO', 'VEHICULO')) <> (concesionario IS NOT NULL)`,
    );
    assert.equal(misplacedDealers, 0);
    const repeatClients = await count(
      db,
      `SELECT count(*) AS n FROM (SELECT cliente_id FROM prestamos GROUP BY 1 HAVING count(*) > 1) x`,
    );
    assert.ok(repeatClients > CLIENTS * 0.05, `${repeatClients} clients with several loans`);
  });

  test('the book looks like a healthy lender: most due cuotas paid, a minority of active loans in mora', async () => {
    const row = await single<{ paid_share: number; mora_share: number }>(
      db,
      `SELECT (SELECT avg((estado = 'PAGADO')::int)::float8 FROM cuotas WHERE fecha_vencimiento < CURRENT_DATE)
                AS paid_share,
              (SELECT avg((EXISTS (SELECT 1 FROM cuotas q WHERE q.prestamo_id = p.id
                  AND q.fecha_vencimiento < CURRENT_DATE AND q.estado IN ('ATRASADO', 'PARCIAL')))::int)::float8
               FROM prestamos p WHERE p.estado = 'APROBADO') AS mora_share`,
    );
    assert.ok(row.paid_share > 0.85, `paid share ${row.paid_share}`);
    assert.ok(row.mora_share > 0.08 && row.mora_share < 0.35, `mora share ${row.mora_share}`);
  });

  test('the hidden risk function has signal: heavy payment-to-income loans fall into mora far more', async () => {
    const { rows } = await db.query<{ quartile: number; share: number }>(RISK_BY_QUARTILE);
    const lowest = rows[0]?.share ?? 0;
    const highest = rows[3]?.share ?? 0;
    assert.ok(highest >= 1.75 * lowest && highest > 0, `bottom quartile ${lowest}, top quartile ${highest}`);
  });

  test('the spec queries on active loans, overdue cuotas and outstanding balance find rows', async () => {
    const queries = [
      `SELECT id FROM prestamos WHERE estado = 'APROBADO'`,
      `SELECT id FROM cuotas WHERE fecha_vencimiento < CURRENT_DATE AND estado IN ('ATRASADO', 'PARCIAL')`,
      `SELECT DISTINCT p.id FROM prestamos p JOIN cuotas q ON q.prestamo_id = p.id
       WHERE p.estado = 'APROBADO' AND q.fecha_vencimiento < CURRENT_DATE AND q.estado IN ('ATRASADO', 'PARCIAL')`,
      `SELECT DISTINCT c.id FROM clientes c JOIN prestamos p ON p.cliente_id = c.id JOIN cuotas q ON q.prestamo_id = p.id
       WHERE p.estado = 'APROBADO' AND q.fecha_vencimiento < CURRENT_DATE AND q.estado IN ('ATRASADO', 'PARCIAL')`,
      `SELECT p.id, sum(q.monto_cuota - q.total_pagado) AS saldo FROM prestamos p JOIN cuotas q ON q.prestamo_id = p.id
       WHERE q.estado <> 'PAGADO' GROUP BY p.id HAVING sum(q.monto_cuota - q.total_pagado) > 0`,
    ];
    for (const sql of queries) assert.ok((await db.query(sql)).rows.length > 0, sql);
  });

  test('seeding over an existing book without reset is refused with the client count', async () => {
    await assert.rejects(
      seedLoanBook({ db, clientes: 10, semilla: 'otra', reset: false }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'CONFLICT' &&
        error.message.includes(`${CLIENTS} clientes`) &&
        error.message.includes('--reset'),
    );
    assert.equal(await bookHash(db), hash, 'the refused seed changed nothing');
  });

  test('invalid options are rejected before touching the database', async () => {
    for (const options of [{ clientes: 0 }, { clientes: 2.5 }, { hoy: '2024-02-30' }, { semilla: ' ' }]) {
      await assert.rejects(
        seedLoanBook({ db, clientes: 5, semilla: 's', reset: true, ...options }),
        (error: unknown) => error instanceof AppError && error.code === 'INVALID_INPUT',
      );
    }
    assert.equal(await count(db, 'SELECT count(*) AS n FROM clientes'), CLIENTS);
  });

  describe('on another fresh database', () => {
    let other: TestDatabase;
    before(async () => {
      other = await openTestDatabase();
    });
    after(() => other.close());

    test('the same seed gives the same rows and another seed different ones', async () => {
      await seedLoanBook({ db: other.db, clientes: CLIENTS, semilla: SEED, reset: false, hoy: report.hoy });
      assert.equal(await bookHash(other.db), hash);
      await seedLoanBook({ db: other.db, clientes: CLIENTS, semilla: 'otra-semilla', reset: true, hoy: report.hoy });
      assert.notEqual(await bookHash(other.db), hash);
    });

    test('reset keeps conversations, drops predictions, and new rows get fresh ids', async () => {
      const target = other.db;
      await target.query(
        `INSERT INTO conversaciones_ai (pregunta, cliente_id, prestamo_id, cuota_id, pago_id)
         SELECT '¿Cuánto debe?', g.cliente_id, g.prestamo_id, g.cuota_id, g.id FROM pagos g ORDER BY g.id LIMIT 1`,
      );
      await target.query(
        `INSERT INTO modelos_riesgo (prestamo_id, probabilidad_impago, nivel_riesgo, version_modelo)
         SELECT id, 0.5, 'MEDIO', 'v1' FROM prestamos ORDER BY id LIMIT 3`,
      );
      await target.query(
        `INSERT INTO modelos_impago_cuotas (cuota_id, prestamo_id, probabilidad_impago, nivel_riesgo, version_modelo)
         SELECT id, prestamo_id, 0.2, 'BAJO', 'v1' FROM cuotas ORDER BY id LIMIT 3`,
      );
      const again = await seedLoanBook({ db: target, clientes: 40, semilla: 'tercera', reset: true });
      const conversation = await single<{ pregunta: string; links: number }>(
        target,
        `SELECT pregunta, num_nonnulls(cliente_id, prestamo_id, cuota_id, pago_id) AS links FROM conversaciones_ai`,
      );
      assert.deepEqual(conversation, { pregunta: '¿Cuánto debe?', links: 0 });
      const predictions = await count(
        target,
        'SELECT (SELECT count(*) FROM modelos_riesgo) + (SELECT count(*) FROM modelos_impago_cuotas) AS n',
      );
      assert.equal(predictions, 0);
      assert.equal(await count(target, 'SELECT count(*) AS n FROM clientes'), 40);

      const client = await insertClient(target);
      assert.equal(client.id, again.filas.clientes + 1);
      const loan = await insertLoan(target, { cliente_id: client.id });
      assert.equal(loan.id, again.filas.prestamos + 1);
      assert.equal(loan.cuotaIds[0], again.filas.cuotas + 1);
      const pago = await single<{ id: number }>(
        target,
        `INSERT INTO pagos (prestamo_id, cliente_id, cuota_id, fecha_pago, monto_pagado, metodo_pago)
         VALUES (${loan.id}, ${client.id}, ${loan.cuotaIds[0]}, CURRENT_DATE, 10, 'EFECTIVO') RETURNING id`,
      );
      assert.equal(pago.id, again.filas.pagos + 1);
      await assert.rejects(
        target.query(`INSERT INTO conversaciones_ai (pregunta, cliente_id) VALUES ('?', 999999)`),
        /foreign key/,
        'the conversation links are still foreign keys after the reset',
      );
    });

    test('reset also works when another table references the book, applying its ON DELETE rule', async () => {
      const target = other.db;
      await target.exec(`CREATE TABLE notas_cobranza (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        cliente_id integer NOT NULL REFERENCES clientes (id) ON DELETE CASCADE)`);
      await target.query('INSERT INTO notas_cobranza (cliente_id) SELECT id FROM clientes ORDER BY id LIMIT 2');
      const report = await seedLoanBook({ db: target, clientes: 30, semilla: 'cuarta', reset: true });
      assert.equal(report.filas.clientes, 30);
      assert.equal(await count(target, 'SELECT count(*) AS n FROM notas_cobranza'), 0);
      assert.equal(await count(target, 'SELECT count(*) AS n FROM conversaciones_ai'), 1);
      assert.equal(await count(target, 'SELECT count(*) AS n FROM clientes'), 30);
    });
  });
});
