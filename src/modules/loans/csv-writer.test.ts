import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { toDay } from './calendar.ts';
import { CsvWriter } from './csv-writer.ts';

describe('CsvWriter', () => {
  let database: TestDatabase;
  before(async () => {
    database = await openTestDatabase();
    await database.db.exec('CREATE TABLE copia (id integer, texto text, monto numeric(14, 2), dia date)');
  });
  after(() => database.close());

  test('text survives COPY exactly: commas, quotes, line breaks, backslashes, accents; NULL stays NULL', async () => {
    const texts = [
      'Distribuidora El Sol, C.A.',
      'Dijo "pague mañana"',
      'línea 1\nlínea 2\r\nlínea 3',
      '\\.',
      'C:\\ruta',
      '',
      null,
      ' con espacios ',
      'Ñandú Uzcátegui',
    ];
    const writer = new CsvWriter();
    texts.forEach((text, index) => writer.int(index).text(text).money(905).date(null).end());
    await database.db.copyFrom('copia', ['id', 'texto', 'monto', 'dia'], writer.take());
    const { rows } = await database.db.query<{ texto: string | null; monto: number; dia: string | null }>(
      'SELECT texto, monto, dia FROM copia ORDER BY id',
    );
    assert.deepEqual(
      rows.map((row) => row.texto),
      texts,
    );
    assert.ok(rows.every((row) => row.monto === 9.05 && row.dia === null));
  });

  test('numbers, money, dates and timestamps are written in the forms PostgreSQL reads, comma-separated', () => {
    const writer = new CsvWriter();
    writer.int(0).int(42, 7).int(3_000_000_000).money(9456).money(7).money(3_000_000_005);
    writer
      .date(toDay('2024-02-29'))
      .timestamp(toDay('2024-02-29'), 8 * 60 + 5)
      .raw('REC-')
      .digits(42, 7);
    writer.bool(true).end();
    writer.raw(null).text(null).end();
    assert.equal(
      writer.take(),
      '0,0000042,3000000000,94.56,0.07,30000000.05,2024-02-29,2024-02-29 08:05:00,REC-0000042,t\n,\n',
    );
    assert.equal(writer.take(), '', 'take() empties the writer');
  });

  test('the buffer grows for rows longer than its initial size', () => {
    const writer = new CsvWriter();
    const long = 'x'.repeat(200_000);
    writer.text(long).text('ñ'.repeat(100_000)).end();
    assert.equal(writer.take(), `${long},${'ñ'.repeat(100_000)}\n`);
  });
});
