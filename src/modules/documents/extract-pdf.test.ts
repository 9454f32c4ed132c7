import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPdf, type PdfTextSpec } from '../../../test/fixtures/documentos/build-pdf.ts';
import { assertInvalidInput, readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import { extractPdf } from './extract-pdf.ts';

/** Body lines 12 points apart starting at `top`. */
const lines = (x: number, top: number, texts: string[], size = 10): PdfTextSpec[] =>
  texts.map((text, index) => ({ x, y: top - index * 12, size, text }));

describe('extractPdf', () => {
  it('reads the credit policy with headings by size, list items, the table and page numbers', async () => {
    const { bloques, paginas } = await extractPdf(readFixture('politica-credito.pdf'));
    assert.equal(paginas, 5);
    assert.deepEqual(bloques[0], { kind: 'heading', level: 1, text: 'Política de Crédito de RAPICREDIT', page: 1 });
    assert.deepEqual(bloques[2], { kind: 'heading', level: 2, text: '1. Objeto y alcance', page: 1 });
    assert.ok(bloques.some((b) => b.kind === 'heading' && b.level === 3 && b.text === '4.1 Personas naturales'));
    assert.deepEqual(
      bloques.find((block) => block.text.includes('se computan al 50 % de su valor declarado')),
      {
        kind: 'list-item',
        text:
          'Los ingresos no bancarizados (cobros en efectivo sin soporte bancario) se computan al 50 % de su valor ' +
          'declarado, y solo si el analista puede verificarlos con facturas, libros de venta o una visita.',
        page: 4,
      },
    );
    const rows = bloques.filter((block) => block.kind === 'table-row');
    assert.deepEqual(
      rows.map((row) => row.text),
      [
        'Producto\tMonto mínimo\tMonto máximo\tPlazo\tInicial mínima\tTasa nominal anual\tIngreso mínimo',
        'MOTO\t500 USD\t4.000 USD\t6 a 24 meses\t20 %\t28 %\t300 USD',
        'VEHICULO\t3.000 USD\t25.000 USD\t12 a 48 meses\t30 %\t22 %\t800 USD',
        'PERSONAL\t200 USD\t3.000 USD\t3 a 18 meses\tNo aplica\t36 %\t250 USD',
        'COMERCIAL\t2.000 USD\t30.000 USD\t6 a 36 meses\tNo aplica\t30 %\tVentas de 3.000 USD',
      ],
    );
    assert.ok(rows.every((row) => row.tableId === 1 && row.page === 2));
    const pages = bloques.map((block) => block.page ?? 0);
    assert.ok(
      pages.every((page, index) => page >= 1 && page >= (pages[index - 1] ?? 1)),
      'pages set, in order',
    );
  });

  it('drops the running header and footer of the collection manual and joins across page breaks', async () => {
    const { bloques, paginas } = await extractPdf(readFixture('manual-cobranza.pdf'));
    assert.equal(paginas, 4);
    assert.deepEqual(
      bloques.filter((block) => /Uso interno|Página \d/.test(block.text)),
      [],
    );
    assert.ok(
      bloques.some(
        (b) => b.page === 1 && b.text.endsWith('dentro de ese período, no se le cobra ningún cargo por atraso.'),
      ),
    );
    assert.ok(
      bloques.some(
        (b) =>
          b.kind === 'table-row' &&
          b.text === 'Preventiva\t3 días antes hasta el vencimiento\tGestor de Cobranza Preventiva\tSMS y WhatsApp',
      ),
    );
    assert.equal(new Set(bloques.flatMap((block) => block.tableId ?? [])).size, 2);
  });

  it('removes lines repeated at the top or bottom of every page, page numbers included', async () => {
    const bodies = ['Primero las condiciones.', 'Luego los plazos.', 'Por último las firmas.'];
    const page = (body: string, index: number) => ({
      texts: [
        { x: 72, y: 810, size: 8, text: 'RAPICREDIT - Documento interno' },
        ...lines(72, 760, [body]),
        { x: 280, y: 30 + (index % 2), size: 8, text: `Página ${index + 1} de 3` },
      ],
    });
    const { bloques } = await extractPdf(buildPdf(bodies.map(page)));
    assert.deepEqual(bloques, [
      { kind: 'paragraph', text: 'Primero las condiciones.', page: 1 },
      { kind: 'paragraph', text: 'Luego los plazos.', page: 2 },
      { kind: 'paragraph', text: 'Por último las firmas.', page: 3 },
    ]);
    const single = await extractPdf(buildPdf([page('Solo una página.', 0)]));
    assert.equal(single.bloques.length, 3, 'a one-page document has no running lines to remove');
  });

  it('reads a two-column page column by column, after a full-width title', async () => {
    const left = [
      'La columna izquierda empieza aquí',
      'y sigue en esta segunda línea',
      'hasta llegar a su punto final.',
    ];
    const right = [
      'La columna derecha se lee después',
      'de terminar toda la columna de',
      'la izquierda, como un periódico.',
    ];
    const pdf = buildPdf([
      {
        texts: [
          { x: 72, y: 790, size: 16, text: 'Boletín informativo de RAPICREDIT para las agencias' },
          ...lines(72, 750, [...left, ...left.map((text) => text.replace('La columna', 'Otra vez la columna'))]),
          ...lines(320, 750, [...right, ...right.map((text) => text.replace('La columna', 'Otra vez la columna'))]),
        ],
      },
    ]);
    const texts = (await extractPdf(pdf)).bloques.map((block) => block.text);
    assert.deepEqual(texts, [
      'Boletín informativo de RAPICREDIT para las agencias',
      `${left.join(' ')} Otra vez la columna izquierda empieza aquí y sigue en esta segunda línea hasta llegar a su punto final.`,
      `${right.join(' ')} Otra vez la columna derecha se lee después de terminar toda la columna de la izquierda, como un periódico.`,
    ]);
  });

  it('joins hyphenated lines, finds all-caps numbered headings at body size and hanging list items', async () => {
    const pdf = buildPdf([
      {
        texts: [
          { x: 72, y: 780, size: 10, text: '1. DISPOSICIONES GENERALES' },
          ...lines(72, 755, ['Esta regu-', 'lación aplica a todas las agencias.']),
          { x: 72, y: 725, size: 10, text: '- Primer punto de la lista que' },
          { x: 84, y: 713, size: 10, text: 'continúa en la línea siguiente.' },
          { x: 72, y: 695, size: 10, text: 'a) Segundo punto.' },
        ],
      },
    ]);
    assert.deepEqual((await extractPdf(pdf)).bloques, [
      { kind: 'heading', level: 2, text: '1. DISPOSICIONES GENERALES', page: 1 },
      { kind: 'paragraph', text: 'Esta regulación aplica a todas las agencias.', page: 1 },
      { kind: 'list-item', text: 'Primer punto de la lista que continúa en la línea siguiente.', page: 1 },
      { kind: 'list-item', text: 'a) Segundo punto.', page: 1 },
    ]);
  });

  it('refuses encrypted, scanned and damaged files', async () => {
    await assertInvalidInput(
      extractPdf(readFixture('protegido-con-clave.pdf')),
      /^El PDF está protegido con contraseña/,
    );
    const scanned = buildPdf([{ rectangles: [[72, 400, 450, 300]] }, { rectangles: [[72, 72, 100, 100]] }]);
    await assertInvalidInput(extractPdf(scanned), /^El PDF no tiene capa de texto \(parece escaneado\)/);
    const truncated = readFixture('politica-credito.pdf').slice(0, 9000);
    await assertInvalidInput(extractPdf(truncated), /^El PDF está dañado o no se puede leer\.$/);
    const garbage = new Uint8Array(Buffer.from('%PDF-1.7\nesto no es un PDF de verdad'));
    await assertInvalidInput(extractPdf(garbage), /^El PDF está dañado o no se puede leer\.$/);
  });
});
