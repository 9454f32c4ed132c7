import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import { extractMarkdown } from './extract-markdown.ts';

const utf8 = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'utf8'));

describe('extractMarkdown', () => {
  it('reads the data protection policy: headings by depth, list items and both tables', () => {
    const blocks = extractMarkdown(readFixture('politica-proteccion-datos.md'));
    assert.deepEqual(blocks[0], { kind: 'heading', level: 1, text: 'Política de Protección de Datos del Cliente' });
    assert.ok(blocks.some((b) => b.kind === 'heading' && b.level === 2 && b.text === '7. Derechos de los titulares'));
    assert.ok(
      blocks.some((b) => b.kind === 'list-item' && b.text === 'Video de las cámaras de las agencias: 30 días.'),
    );
    const rows = blocks.filter((block) => block.kind === 'table-row');
    assert.deepEqual(
      rows.filter((row) => row.tableId === 2).map((row) => row.text),
      [
        'Derecho\tQué permite\tPlazo de respuesta',
        'Acceso\tConocer qué datos tiene RAPICREDIT y para qué los usa\t15 días hábiles',
        'Rectificación\tCorregir datos inexactos o desactualizados\t10 días hábiles',
        'Supresión\tEliminar datos que ya no son necesarios\t15 días hábiles',
        'Oposición al mercadeo\tDejar de recibir ofertas comerciales\t5 días hábiles',
      ],
    );
    assert.equal(rows.filter((row) => row.tableId === 1).length, 5);
  });

  it('keeps the numbers of an ordered list in the anti-money-laundering policy', () => {
    const blocks = extractMarkdown(readFixture('politica-prevencion-legitimacion-capitales.md'));
    const item = blocks.find((block) => block.text.startsWith('3. Si el Oficial'));
    assert.equal(item?.kind, 'list-item');
    assert.match(item?.text ?? '', /envía el Reporte de Actividad Sospechosa \(RAS\) a la UNIF sin demora\.$/);
  });

  it('strips inline Markdown, decodes entities, and turns code blocks and quotes into paragraphs', () => {
    const source = [
      'Texto con **negrita**, _cursiva_, `código` y un [enlace](https://example.com) &amp; más.',
      '',
      '```sql',
      'SELECT *',
      '  FROM prestamos;',
      '```',
      '',
      '> Una cita.',
      '',
      '1. Primero',
      '   - anidado',
      '2. Segundo',
    ].join('\n');
    assert.deepEqual(extractMarkdown(utf8(source)), [
      { kind: 'paragraph', text: 'Texto con negrita, cursiva, código y un enlace & más.' },
      { kind: 'paragraph', text: 'SELECT * FROM prestamos;' },
      { kind: 'paragraph', text: 'Una cita.' },
      { kind: 'list-item', text: '1. Primero' },
      { kind: 'list-item', text: 'anidado' },
      { kind: 'list-item', text: '2. Segundo' },
    ]);
  });
});
