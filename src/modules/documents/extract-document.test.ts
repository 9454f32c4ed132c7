import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDocx } from '../../../test/fixtures/documentos/build-zip.ts';
import { assertInvalidInput, readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import { detectDocumentType } from './detect-document-type.ts';
import { extractDocument } from './extract-document.ts';

/** One sentence of each corpus file that must come out whole, inside a single block. */
const KNOWN_SENTENCES: Record<string, string> = {
  'manual-analista-credito.docx': 'La cuota mensual equivalente es 190 USD, su relación cuota/ingreso es 30,6 %',
  'manual-cobranza.pdf': 'Una promesa de pago no puede tener una fecha posterior a 7 días calendario desde la llamada.',
  'politica-credito.pdf': 'se computan al 50 % de su valor declarado',
  'politica-prevencion-legitimacion-capitales.md': 'Cada cliente puede registrar hasta 2 terceros autorizados.',
  'politica-proteccion-datos.md': 'La sesión se bloquea automáticamente después de 10 minutos de inactividad.',
  'preguntas-frecuentes-clientes.txt': 'Puede referir hasta 5 personas por año calendario.',
  'procedimiento-refinanciamiento.docx': 'Si ese porcentaje supera el 20 % en un trimestre',
  'reglamento-pagos-conciliacion.txt':
    'Las diferencias de caja superiores a 20 USD se reportan a Auditoría Interna el mismo día.',
};

describe('extractDocument', () => {
  it('extracts every corpus file with its known sentence intact in one block', async () => {
    for (const [name, sentence] of Object.entries(KNOWN_SENTENCES)) {
      const bytes = readFixture(name);
      const tipo = await detectDocumentType(bytes, name);
      const document = await extractDocument(bytes, tipo);
      assert.equal(document.tipo, tipo);
      assert.equal(document.paginas === null, tipo !== 'pdf', `${name}: pages only for PDF`);
      assert.ok(
        document.bloques.some((block) => block.text.includes(sentence)),
        `${name}: "${sentence}" in one block`,
      );
      assert.ok(
        document.bloques.every((block) => block.text !== '' && !block.text.includes('\n')),
        name,
      );
      assert.ok(
        document.bloques.some((block) => block.kind === 'heading'),
        `${name}: has headings`,
      );
    }
  });

  it('joins the blocks with blank lines into the full text', async () => {
    const document = await extractDocument(
      new Uint8Array(Buffer.from('# Título\n\nPrimer párrafo\nen dos líneas.\n\n- Punto\n')),
      'md',
    );
    assert.equal(document.texto, 'Título\n\nPrimer párrafo en dos líneas.\n\nPunto');
    assert.equal(document.paginas, null);
  });

  it('refuses an empty file and a document without text', async () => {
    await assertInvalidInput(extractDocument(new Uint8Array(), 'txt'), /^El archivo está vacío\.$/);
    await assertInvalidInput(extractDocument(new Uint8Array(Buffer.from(' \n\n ')), 'md'), /^El archivo está vacío\.$/);
    const blankDocx = buildDocx('<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>');
    await assertInvalidInput(extractDocument(blankDocx, 'docx'), /^El documento no contiene texto\.$/);
    const onlyScript = new Uint8Array(Buffer.from('<html><script>var x = 1;</script></html>'));
    await assertInvalidInput(extractDocument(onlyScript, 'html'), /^El documento no contiene texto\.$/);
  });
});
