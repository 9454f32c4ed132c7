import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chunkDocument } from './chunk-document.ts';
import type { ExtractedBlock } from './extracted-document.ts';

const paragraph = (text: string, page?: number): ExtractedBlock => ({ kind: 'paragraph', text, page });
const heading = (text: string, level: number): ExtractedBlock => ({ kind: 'heading', text, level });

describe('chunkDocument', () => {
  test('never crosses a heading and keeps the heading path', () => {
    const chunks = chunkDocument([
      heading('Política de crédito', 1),
      heading('1. Objeto', 2),
      paragraph('Define las reglas.'),
      heading('2. Límites', 2),
      heading('2.1 Montos', 3),
      paragraph('Hasta 12.000 USD.'),
    ]);
    assert.deepEqual(
      chunks.map((chunk) => [chunk.headings, chunk.text]),
      [
        [['Política de crédito', '1. Objeto'], 'Define las reglas.'],
        [['Política de crédito', '2. Límites', '2.1 Montos'], 'Hasta 12.000 USD.'],
      ],
    );
  });

  test('packs whole blocks up to the size, splits only oversized ones at sentence ends, keeps pages', () => {
    const sentence = 'Esta es una oración de prueba con varias palabras. ';
    const chunks = chunkDocument(
      [
        paragraph('Primer párrafo corto.', 1),
        paragraph('Segundo párrafo corto.', 2),
        paragraph(sentence.repeat(10), 2),
      ],
      { maxChars: 200, overlapChars: 0 },
    );
    assert.ok(chunks[0]?.text.startsWith('Primer párrafo corto.\nSegundo párrafo corto.\nEsta es'));
    assert.deepEqual([chunks[0]?.pageStart, chunks[0]?.pageEnd], [1, 2]);
    for (const chunk of chunks) {
      assert.ok(chunk.text.length <= 200, `${chunk.text.length}`);
      assert.ok(chunk.text.endsWith('palabras.'), chunk.text);
    }
    assert.equal(
      chunks.reduce((sum, chunk) => sum + chunk.text.split('oración').length - 1, 0),
      10,
    );
  });

  test('a small table stays whole; a big one repeats its header row in every slice', () => {
    const rows = (count: number): ExtractedBlock[] => [
      { kind: 'table-row', text: 'Cargo | Monto máximo', tableId: 1 },
      ...Array.from({ length: count }, (_, index) => ({
        kind: 'table-row' as const,
        text: `Cargo número ${index} | ${index * 1000} USD`,
        tableId: 1,
      })),
    ];
    assert.equal(chunkDocument(rows(3)).length, 1);
    const big = chunkDocument(rows(40), { maxChars: 300, overlapChars: 0 });
    assert.ok(big.length > 1);
    for (const chunk of big) assert.ok(chunk.text.startsWith('Cargo | Monto máximo\n'), chunk.text);
  });

  test('overlap repeats the last blocks of the previous chunk in the same section', () => {
    const chunks = chunkDocument(
      ['Uno uno uno uno.', 'Dos dos dos dos.', 'Tres tres tres tres.'].map((text) => paragraph(text)),
      { maxChars: 40, overlapChars: 20 },
    );
    assert.deepEqual(
      chunks.map((chunk) => chunk.text),
      ['Uno uno uno uno.\nDos dos dos dos.', 'Dos dos dos dos.\nTres tres tres tres.'],
    );
  });
});
