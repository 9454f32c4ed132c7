import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractHtml, htmlToBlocks } from './extract-html.ts';

describe('htmlToBlocks', () => {
  it('keeps the content and drops scripts, styles, navigation and the head', () => {
    const html = `<!DOCTYPE html><html><head><title>Título de pestaña</title><style>p{color:red}</style></head>
      <body><nav><a href="/">Inicio</a></nav><script>alert("x")</script><noscript>Active JS</noscript>
      <h1>Política   de
        pagos</h1><p>Primer&nbsp;párrafo con <b>negrita</b> y&amp; entidades &aacute;.<br>Segunda línea.</p>
      <div>Texto suelto</div></body></html>`;
    assert.deepEqual(htmlToBlocks(html), [
      { kind: 'heading', level: 1, text: 'Política de pagos' },
      { kind: 'paragraph', text: 'Primer párrafo con negrita y& entidades á. Segunda línea.' },
      { kind: 'paragraph', text: 'Texto suelto' },
    ]);
  });

  it('numbers ordered list items, keeps nested items separate and joins paragraphs inside an item', () => {
    const html = '<ol start="3"><li>Tercero<ul><li>detalle</li></ul></li><li><p>Cuarto</p><p>sigue</p></li></ol>';
    assert.deepEqual(htmlToBlocks(html), [
      { kind: 'list-item', text: '3. Tercero' },
      { kind: 'list-item', text: 'detalle' },
      { kind: 'list-item', text: '4. Cuarto sigue' },
    ]);
  });

  it('turns each table row into a block with its cells joined, one id per table', () => {
    const html = `<table><thead><tr><th>Producto</th><th>Plazo</th></tr></thead>
      <tbody><tr><td><p>MOTO</p></td><td>6 a 24 meses</td></tr><tr><td></td><td></td></tr></tbody></table>
      <table><tr><td>A</td><td>B</td></tr></table>`;
    assert.deepEqual(htmlToBlocks(html), [
      { kind: 'table-row', text: 'Producto\tPlazo', tableId: 1 },
      { kind: 'table-row', text: 'MOTO\t6 a 24 meses', tableId: 1 },
      { kind: 'table-row', text: 'A\tB', tableId: 2 },
    ]);
  });

  it('treats short all-bold paragraphs as headings only when asked to', () => {
    const html = '<h1>Manual</h1><p><strong>Alcance</strong></p><p><strong>Nota:</strong> texto normal.</p>';
    assert.deepEqual(htmlToBlocks(html, { boldParagraphsAsHeadings: true }).slice(1), [
      { kind: 'heading', level: 2, text: 'Alcance' },
      { kind: 'paragraph', text: 'Nota: texto normal.' },
    ]);
    assert.equal(htmlToBlocks(html)[1]?.kind, 'paragraph');
  });
});

describe('extractHtml', () => {
  it('decodes the file bytes before parsing', () => {
    const bytes = new Uint8Array(Buffer.from('<p>Préstamo</p>', 'latin1'));
    assert.deepEqual(extractHtml(bytes), [{ kind: 'paragraph', text: 'Préstamo' }]);
  });
});
