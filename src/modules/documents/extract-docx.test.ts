import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDocx, buildZip } from '../../../test/fixtures/documentos/build-zip.ts';
import { assertInvalidInput, readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import { DEFAULT_EXTRACTION_LIMITS } from './extracted-document.ts';
import { extractDocx } from './extract-docx.ts';

const MEGABYTE = 1024 * 1024;
const paragraph = (text: string, bold = false): string =>
  `<w:p><w:r>${bold ? '<w:rPr><w:b/></w:rPr>' : ''}<w:t xml:space="preserve">${text}</w:t></w:r></w:p>`;
const documentOf = (xml: Uint8Array | string, declaredSize?: number): Uint8Array =>
  buildZip([
    { name: '[Content_Types].xml', data: '<Types/>' },
    { name: 'word/document.xml', data: xml, ...(declaredSize === undefined ? {} : { declaredSize }) },
  ]);

describe('extractDocx', () => {
  it('reads the credit analyst manual: title, headings, numbered steps and both tables', async () => {
    const blocks = await extractDocx(readFixture('manual-analista-credito.docx'), DEFAULT_EXTRACTION_LIMITS);
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, text: 'Manual del Analista de Crédito' });
    assert.deepEqual(
      blocks.find((block) => block.text === '4.1 Verificación laboral'),
      { kind: 'heading', level: 2, text: '4.1 Verificación laboral' },
    );
    assert.ok(
      blocks.some((b) => b.kind === 'list-item' && b.text.startsWith('2. EN_REVISION: el analista toma la solicitud')),
    );
    const rows = blocks.filter((block) => block.kind === 'table-row');
    assert.deepEqual(rows.slice(0, 2), [
      { kind: 'table-row', text: 'Factor\tPeso\tPuntos máximos', tableId: 1 },
      { kind: 'table-row', text: 'Historial de pagos en RAPICREDIT\t30 %\t300', tableId: 1 },
    ]);
    assert.deepEqual(rows.filter((row) => row.tableId === 2)[0], {
      kind: 'table-row',
      text: 'Rol\tExposición total máxima\tProductos\tBandas permitidas',
      tableId: 2,
    });
    assert.equal(rows.length, 12);
  });

  it('reads the refinancing procedure comparison table row by row', async () => {
    const blocks = await extractDocx(readFixture('procedimiento-refinanciamiento.docx'), DEFAULT_EXTRACTION_LIMITS);
    assert.ok(
      blocks.some(
        (b) =>
          b.kind === 'table-row' &&
          b.tableId === 1 &&
          b.text === 'Abono inicial\tNo se exige\t10 % del saldo vencido, mínimo 50 USD',
      ),
    );
    assert.equal(blocks.filter((block) => block.kind === 'table-row' && block.tableId === 2).length, 4);
  });

  it('treats a short all-bold paragraph as a heading and keeps table cells together', async () => {
    const table =
      '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Plazo</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Tasa</w:t></w:r></w:p></w:tc></w:tr>' +
      '<w:tr><w:tc><w:p><w:r><w:t>12 meses</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>28 %</w:t></w:r></w:p></w:tc></w:tr></w:tbl>';
    const blocks = await extractDocx(
      buildDocx(paragraph('Condiciones', true) + paragraph('Texto del párrafo.') + table),
      DEFAULT_EXTRACTION_LIMITS,
    );
    assert.deepEqual(blocks, [
      { kind: 'heading', level: 2, text: 'Condiciones' },
      { kind: 'paragraph', text: 'Texto del párrafo.' },
      { kind: 'table-row', text: 'Plazo\tTasa', tableId: 1 },
      { kind: 'table-row', text: '12 meses\t28 %', tableId: 1 },
    ]);
  });

  it('refuses a zip bomb whose declared size exceeds the limit', async () => {
    const bomb = documentOf(new Uint8Array(5 * MEGABYTE).fill(0x20));
    await assertInvalidInput(
      extractDocx(bomb, { maxUncompressedBytes: MEGABYTE }),
      /^El DOCX parece una bomba zip \(se expande a más de 1 MB\)/,
    );
  });

  it('refuses an entry with an absurd compression ratio even under the total limit', async () => {
    const bomb = documentOf(new Uint8Array(11 * MEGABYTE).fill(0x20));
    await assertInvalidInput(extractDocx(bomb, DEFAULT_EXTRACTION_LIMITS), /bomba zip \(se expande a más de 100 MB\)/);
  });

  it('refuses an entry that inflates beyond the size it declares, while streaming it', async () => {
    // Declared sizes and ratio look harmless; only counting the inflated bytes catches the lie.
    const liar = documentOf(new Uint8Array(2 * MEGABYTE).fill(0x20), 1000);
    await assertInvalidInput(extractDocx(liar, { maxUncompressedBytes: 10 * MEGABYTE }), /bomba zip/);
  });

  it('reports damaged files: a truncated zip and a zip without a Word document', async () => {
    const truncated = readFixture('procedimiento-refinanciamiento.docx').slice(0, 4000);
    await assertInvalidInput(
      extractDocx(truncated, DEFAULT_EXTRACTION_LIMITS),
      /^El DOCX está dañado o no se puede leer\.$/,
    );
    const notWord = buildZip([{ name: 'hola.txt', data: 'hola' }]);
    await assertInvalidInput(extractDocx(notWord, DEFAULT_EXTRACTION_LIMITS), /^El DOCX está dañado/);
  });
});
