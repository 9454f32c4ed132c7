import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import type { ExtractedBlock } from './extracted-document.ts';
import { decodeText, extractText } from './extract-text.ts';

const utf8 = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'utf8'));
const find = (blocks: ExtractedBlock[], start: string): ExtractedBlock | undefined =>
  blocks.find((block) => block.text.startsWith(start));

describe('decodeText', () => {
  it('decodes Windows-1252 when the bytes are not valid UTF-8', () => {
    const bytes = new Uint8Array([...Buffer.from('Préstamo del año: señal de ', 'latin1'), 0x80, 0x35]);
    assert.equal(decodeText(bytes), 'Préstamo del año: señal de €5');
  });

  it('decodes UTF-8, dropping the byte order mark and normalising line breaks and accents', () => {
    const decomposed = 'Cre\u0301dito';
    assert.equal(decodeText(utf8(`\uFEFF${decomposed}\r\nsegunda\rtercera`)), 'Crédito\nsegunda\ntercera');
  });

  it('decodes UTF-16 text that carries its byte order mark', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from('Año', 'utf16le')]);
    assert.equal(decodeText(bytes), 'Año');
  });
});

describe('extractText', () => {
  it('reads the payments regulation: underlined and numbered headings, lists, the pipe table', () => {
    const blocks = extractText(readFixture('reglamento-pagos-conciliacion.txt'));
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, text: 'REGLAMENTO DE PAGOS Y CONCILIACIÓN' });
    assert.deepEqual(find(blocks, '3. HORARIOS'), { kind: 'heading', level: 2, text: '3. HORARIOS DE CORTE' });
    assert.deepEqual(find(blocks, '7.1'), { kind: 'heading', level: 3, text: '7.1 Orden de prelación' });
    assert.deepEqual(find(blocks, 'TRANSFERENCIA:'), {
      kind: 'list-item',
      text: 'TRANSFERENCIA: transferencia bancaria a una de las cuentas corrientes de RAPICREDIT.',
    });
    assert.deepEqual(find(blocks, '1. Gastos'), { kind: 'list-item', text: '1. Gastos de cobranza.' });
    const rows = blocks.filter((block) => block.kind === 'table-row');
    assert.equal(rows.length, 6);
    assert.equal(rows[0]?.text, 'Canal\tHora de corte\tPago recibido después del corte');
    assert.equal(rows[4]?.text, 'DEPOSITO\tFecha del comprobante si se reporta en 48 horas\tFecha en que se reporta');
    assert.ok(rows.every((row) => row.tableId === 1));
    assert.ok(
      blocks.some((block) =>
        block.text.includes('los horarios de corte que determinan la fecha de cada pago, la forma en que los pagos'),
      ),
      'hard-wrapped lines of a paragraph are joined',
    );
  });

  it('keeps each question with its answer in the FAQ', () => {
    const blocks = extractText(readFixture('preguntas-frecuentes-clientes.txt'));
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, text: 'PREGUNTAS FRECUENTES DE CLIENTES' });
    assert.deepEqual(find(blocks, 'B. PAGOS'), { kind: 'heading', level: 2, text: 'B. PAGOS' });
    const answer = find(blocks, 'P: ¿Puedo pagar con Zelle');
    assert.equal(
      answer?.text,
      'P: ¿Puedo pagar con Zelle, PayPal o criptomonedas? R: No. Solo aceptamos pagos en cuentas bancarias ' +
        'nacionales y en efectivo en nuestras agencias.',
    );
    assert.equal(blocks.filter((block) => block.text.startsWith('R:')).length, 0);
  });

  it('joins hyphenated line breaks and keeps unindented lines after a list item out of it', () => {
    const blocks = extractText(
      utf8('La regu-\nlación vigente se aplica\nsin excepción.\n\n- Primer punto que\n  sigue aquí.\nOtro párrafo.\n'),
    );
    assert.deepEqual(blocks, [
      { kind: 'paragraph', text: 'La regulación vigente se aplica sin excepción.' },
      { kind: 'list-item', text: 'Primer punto que sigue aquí.' },
      { kind: 'paragraph', text: 'Otro párrafo.' },
    ]);
  });

  it('merges an answer separated from its question by a blank line, and splits consecutive pairs', () => {
    const blocks = extractText(utf8('P: ¿Uno?\n\nR: Sí.\n\nP: ¿Dos?\nR: No.\nP: ¿Tres?\nR: Tal vez.\n'));
    assert.deepEqual(
      blocks.map((block) => block.text),
      ['P: ¿Uno? R: Sí.', 'P: ¿Dos? R: No.', 'P: ¿Tres? R: Tal vez.'],
    );
  });

  it('takes a sub-numbered line as a heading only when it stands alone', () => {
    const blocks = extractText(
      utf8('7.1 Orden de prelación\n\n7.2 Los pagos parciales se aplican\nsegún la prelación.'),
    );
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 3, text: '7.1 Orden de prelación' },
      { kind: 'paragraph', text: '7.2 Los pagos parciales se aplican según la prelación.' },
    ]);
  });

  it('recognises all-caps headings, lettered list items and skips decorative rules', () => {
    const blocks = extractText(utf8('CONDICIONES GENERALES\n\na) Primera condición.\nb) Segunda.\n\n* * *\n\nFin.'));
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 2, text: 'CONDICIONES GENERALES' },
      { kind: 'list-item', text: 'a) Primera condición.' },
      { kind: 'list-item', text: 'b) Segunda.' },
      { kind: 'paragraph', text: 'Fin.' },
    ]);
  });
});
