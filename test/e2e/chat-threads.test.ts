import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { loadScript } from '../../src/db/load-script.ts';
import { answerQuestion, type ChatAnswer } from '../../src/modules/chat/index.ts';
import { createLocalEmbeddingProvider } from '../../src/modules/embeddings/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const EVALUATION_BOOK = new URL('../../../shared/eval/libro-evaluacion.sql', import.meta.url);
const embeddings = createLocalEmbeddingProvider();

interface StoredLinks {
  hilo_id: number;
  cliente_id: number | null;
  prestamo_id: number | null;
}

describe('follow-up questions in a thread (evaluation loan book)', () => {
  let database: TestDatabase;

  const ask = (pregunta: string, hiloId?: number): Promise<ChatAnswer> =>
    answerQuestion({ db: database.db, embeddings }, { pregunta, hiloId });

  async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
    const { rows } = await database.db.query<{ value: T }>(sql, params);
    assert.equal(rows.length, 1, sql);
    return (rows[0] as { value: T }).value;
  }

  async function stored(id: number): Promise<StoredLinks> {
    const { rows } = await database.db.query<StoredLinks>(
      'SELECT hilo_id, cliente_id, prestamo_id FROM conversaciones_ai WHERE id = $1',
      [id],
    );
    assert.ok(rows[0], `conversation ${id} stored`);
    return rows[0];
  }

  /** The saldo pendiente of a loan as the dictionary defines it (null when nothing is owed). */
  const balanceOf = (loan: number) =>
    one<string | null>(
      `SELECT round(SUM(monto_cuota - total_pagado), 2)::text AS value FROM cuotas WHERE prestamo_id = $1 AND estado <> 'PAGADO'`,
      [loan],
    );
  const unpaidInstallmentsOf = (loan: number) =>
    one<number>(`SELECT count(*)::int AS value FROM cuotas WHERE prestamo_id = $1 AND estado <> 'PAGADO'`, [loan]);
  const asNumber = (value: unknown) => (value === null ? null : Math.round(Number(value) * 100) / 100);
  /** "378,88" as the answers write amounts. */
  const spanish = (value: string) => Number(value).toLocaleString('es-VE', { minimumFractionDigits: 2 });

  before(async () => {
    database = await openTestDatabase();
    await loadScript(database.db, readFileSync(EVALUATION_BOOK, 'utf8'));
  });
  after(() => database.close());

  test('a loan, then "¿y cuántas cuotas le quedan?": the follow-up is about the same loan', async () => {
    const balance94 = await balanceOf(94);
    assert.ok(balance94 !== null && Number(balance94) > 0, 'loan 94 still owes money in the book');
    const first = await ask('¿Cuál es el saldo pendiente del préstamo 94?');
    assert.equal(first.ruta, 'base_datos');
    assert.deepEqual(first.filas, [[asNumber(balance94)]]);
    assert.ok(first.respuesta.includes(spanish(balance94)), first.respuesta);
    assert.deepEqual(await stored(first.conversacion_id), {
      hilo_id: first.conversacion_id,
      cliente_id: null,
      prestamo_id: 94,
    });

    const left = await unpaidInstallmentsOf(94);
    assert.ok(left > 0);
    const followUp = await ask('¿y cuántas cuotas le quedan?', first.hilo_id);
    assert.equal(followUp.ruta, 'base_datos');
    assert.equal(followUp.hilo_id, first.hilo_id);
    assert.deepEqual(followUp.filas, [[left]], followUp.sql ?? '');
    assert.match(followUp.respuesta, new RegExp(`\\b${left} cuotas\\b`));
    assert.match(followUp.respuesta, /préstamo 94/, 'the answer says which loan it understood');
    assert.ok(followUp.parametros.includes(94));
    assert.deepEqual(await stored(followUp.conversacion_id), {
      hilo_id: first.hilo_id,
      cliente_id: null,
      prestamo_id: 94,
    });

    // The same words without the thread are not about loan 94.
    const alone = await ask('¿y cuántas cuotas le quedan?');
    assert.notEqual(alone.hilo_id, first.hilo_id);
    assert.ok(!alone.parametros.includes(94), JSON.stringify(alone.parametros));
    assert.equal((await stored(alone.conversacion_id)).prestamo_id, null);
  });

  test('"¿y el préstamo 95?" repeats the previous question for loan 95', async () => {
    const first = await ask('¿Cuál es el saldo pendiente del préstamo 94?');
    const other = await ask('¿y el préstamo 95?', first.hilo_id);
    assert.equal(other.ruta, 'base_datos');
    assert.equal(other.hilo_id, first.hilo_id);
    assert.deepEqual(other.columnas, first.columnas, 'the same measure: the saldo pendiente');
    assert.ok(other.parametros.includes(95) && !other.parametros.includes(94), JSON.stringify(other.parametros));
    const balance95 = await balanceOf(95);
    assert.deepEqual(other.filas, [[asNumber(balance95)]]);
    assert.match(other.respuesta, /préstamo 95/);
    assert.ok(!other.respuesta.includes(spanish((await balanceOf(94)) ?? '0')), 'not the figure of loan 94');
    assert.equal((await stored(other.conversacion_id)).prestamo_id, 95);

    // After the installments follow-up, the latest question is the one repeated for loan 95.
    const installments = await ask('¿y cuántas cuotas le quedan?', first.hilo_id);
    const again = await ask('¿y el préstamo 95?', installments.hilo_id);
    assert.deepEqual(again.columnas, installments.columnas);
    assert.deepEqual(again.filas, [[await unpaidInstallmentsOf(95)]]);
    assert.equal((await stored(again.conversacion_id)).prestamo_id, 95);
  });

  test('a client by name, then "¿y cuántos préstamos tiene?": the loan count of that client', async () => {
    const client = await database.db.query<{ id: number; telefono: string; email: string }>(
      "SELECT id, telefono, email FROM clientes WHERE nombres = 'Óscar Escalona Medina'",
    );
    const oscar = client.rows[0];
    assert.ok(oscar && client.rows.length === 1);

    const contact = await ask('dame el telefono y el correo de oscar escalona');
    assert.equal(contact.ruta, 'base_datos');
    assert.equal(contact.filas.length, 1);
    assert.ok(contact.respuesta.includes(oscar.telefono), contact.respuesta);
    assert.ok(contact.respuesta.includes(oscar.email), contact.respuesta);
    assert.equal((await stored(contact.conversacion_id)).cliente_id, oscar.id);

    const loans = await one<number>('SELECT count(*)::int AS value FROM prestamos WHERE cliente_id = $1', [oscar.id]);
    const total = await one<number>('SELECT count(*)::int AS value FROM prestamos');
    const followUp = await ask('¿y cuántos préstamos tiene?', contact.hilo_id);
    assert.equal(followUp.ruta, 'base_datos');
    assert.equal(followUp.hilo_id, contact.hilo_id);
    assert.deepEqual(followUp.filas, [[loans]]);
    assert.notEqual(loans, total);
    assert.match(followUp.respuesta, new RegExp(`\\b${loans} préstamos?\\b`));
    assert.deepEqual(await stored(followUp.conversacion_id), {
      hilo_id: contact.hilo_id,
      cliente_id: oscar.id,
      prestamo_id: null,
    });
  });

  test('a new question in the thread that names its own client does not inherit the previous one', async () => {
    const first = await ask('dame el telefono y el correo de oscar escalona');
    const cedula = 'V11034041';
    const other = await ask(`¿Cuántos préstamos tiene el cliente ${cedula}?`, first.hilo_id);
    const expected = await one<number>(
      'SELECT count(*)::int AS value FROM prestamos p JOIN clientes c ON c.id = p.cliente_id WHERE c.cedula = $1',
      [cedula],
    );
    assert.deepEqual(other.filas, [[expected]]);
    const linked = await one<number>('SELECT id AS value FROM clientes WHERE cedula = $1', [cedula]);
    assert.equal((await stored(other.conversacion_id)).cliente_id, linked);
  });
});
