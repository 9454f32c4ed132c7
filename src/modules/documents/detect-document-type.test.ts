import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildDocx, buildZip } from '../../../test/fixtures/documentos/build-zip.ts';
import { assertInvalidInput, readFixture } from '../../../test/fixtures/documentos/fixtures.ts';
import { detectDocumentType } from './detect-document-type.ts';

const text = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'utf8'));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const ACCEPTED = /Se aceptan PDF, DOCX, TXT, Markdown y HTML/;

describe('detectDocumentType', () => {
  it('recognises every corpus file from its content', async () => {
    const expected = {
      'manual-analista-credito.docx': 'docx',
      'manual-cobranza.pdf': 'pdf',
      'politica-credito.pdf': 'pdf',
      'politica-prevencion-legitimacion-capitales.md': 'md',
      'politica-proteccion-datos.md': 'md',
      'preguntas-frecuentes-clientes.txt': 'txt',
      'procedimiento-refinanciamiento.docx': 'docx',
      'reglamento-pagos-conciliacion.txt': 'txt',
    } as const;
    for (const [name, type] of Object.entries(expected)) {
      assert.equal(await detectDocumentType(readFixture(name), name), type, name);
      assert.equal(await detectDocumentType(readFixture(name), 'sin-extension'), type, `${name} without extension`);
    }
  });

  it('lets the content win over a text extension or an unknown one', async () => {
    const pdf = readFixture('politica-credito.pdf');
    assert.equal(await detectDocumentType(pdf, 'politica.txt'), 'pdf');
    assert.equal(await detectDocumentType(pdf, 'politica.md'), 'pdf');
    assert.equal(await detectDocumentType(readFixture('manual-analista-credito.docx'), 'manual.bak'), 'docx');
  });

  it('refuses a name that claims a different binary type than the content', async () => {
    await assertInvalidInput(
      detectDocumentType(readFixture('manual-analista-credito.docx'), 'informe.pdf'),
      /indica PDF \(\.pdf\), pero el contenido es un DOCX/,
    );
    await assertInvalidInput(
      detectDocumentType(readFixture('politica-credito.pdf'), 'informe.docx'),
      /indica DOCX \(\.docx\), pero el contenido es un PDF/,
    );
    await assertInvalidInput(detectDocumentType(text('Hola, esto es texto.'), 'x.docx'), /indica DOCX.*es texto/);
    await assertInvalidInput(detectDocumentType(text('Hola, esto es texto.'), 'foto.png'), /indica PNG.*es texto/);
  });

  it('lets a text extension choose among the text types', async () => {
    const markdown = text('# Título\n\n- uno\n- dos\n');
    assert.equal(await detectDocumentType(markdown, 'notas.md'), 'md');
    assert.equal(await detectDocumentType(markdown, 'notas.txt'), 'txt');
    assert.equal(await detectDocumentType(text('Sin estructura alguna.'), 'notas.markdown'), 'md');
    assert.equal(await detectDocumentType(text('<p>Hola</p>'), 'pagina.htm'), 'html');
  });

  it('classifies text without a telling extension by its structure', async () => {
    assert.equal(await detectDocumentType(text('\uFEFF  <!DOCTYPE html><html><body>x</body></html>'), 'a'), 'html');
    assert.equal(await detectDocumentType(text('<div>\n<p>Párrafo</p>\n</div>'), 'a'), 'html');
    assert.equal(await detectDocumentType(text('## Sección\n\nTexto con **negrita**.'), 'a'), 'md');
    assert.equal(await detectDocumentType(text('- uno\n- dos\n\nVer [enlace](https://x.y).'), 'a'), 'md');
    assert.equal(await detectDocumentType(text('Una carta.\n\n- una lista no basta\n- para ser Markdown'), 'a'), 'txt');
    assert.equal(await detectDocumentType(text('Texto plano sin marcas.'), 'a'), 'txt');
  });

  it('refuses empty files', async () => {
    await assertInvalidInput(detectDocumentType(new Uint8Array(), 'vacio.txt'), /^El archivo está vacío\.$/);
    await assertInvalidInput(detectDocumentType(text('\uFEFF \n\t\r\n  '), 'blanco.txt'), /^El archivo está vacío\.$/);
  });

  it('refuses images, old Office files, other zips and binary data, listing the accepted types', async () => {
    await assertInvalidInput(detectDocumentType(PNG, 'foto.png'), /Tipo de archivo no admitido \(imagen PNG\)/);
    await assertInvalidInput(detectDocumentType(PNG, 'informe.pdf'), ACCEPTED);
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    await assertInvalidInput(detectDocumentType(ole, 'viejo.doc'), /Office 97-2003.*guárdelo como DOCX/);
    const xlsx = buildZip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]);
    await assertInvalidInput(detectDocumentType(xlsx, 'libro.xlsx'), /hoja de cálculo XLSX/);
    await assertInvalidInput(detectDocumentType(buildZip([{ name: 'a.txt', data: 'a' }]), 'a.zip'), /archivo ZIP/);
    const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    await assertInvalidInput(detectDocumentType(elf, 'programa'), /programa ejecutable/);
    await assertInvalidInput(detectDocumentType(new Uint8Array([65, 66, 0, 67]), 'datos.txt'), /archivo binario/);
  });

  it('reports a damaged DOCX when a .docx zip cannot be read', async () => {
    const truncated = buildDocx('<w:p><w:r><w:t>Hola</w:t></w:r></w:p>').slice(0, 200);
    await assertInvalidInput(
      detectDocumentType(truncated, 'informe.docx'),
      /^El DOCX está dañado o no se puede leer\.$/,
    );
    await assertInvalidInput(detectDocumentType(truncated, 'informe.zip'), /no admitido \(archivo ZIP dañado\)/);
  });
});
