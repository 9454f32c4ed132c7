import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanTerms } from './dictionary-entry.ts';
import { localProposal, pluralOf } from './dictionary-local-proposal.ts';
import { rootsOf, type FieldInfo, type ImproveContext, type KnownEntry } from './dictionary-proposal.ts';

const field = (tabla: string, campo: string, definicion: string, valores: string[] = [], sinonimos: string[] = []) =>
  ({ tabla, campo, definicion, tipo_dato: 'text', valores_posibles: valores, sinonimos }) satisfies FieldInfo;

const FIELDS = [
  field('clientes', 'estado', 'Estado del cliente.', ['ACTIVO', 'INACTIVO', 'FINALIZADO']),
  field('prestamos', 'estado', 'Estado del préstamo.', ['DRAFT', 'EN_REVISION', 'APROBADO', 'FINALIZADO']),
  field('prestamos', 'fecha_aprobacion', 'Fecha de aprobación.', [], ['aprobados', 'fecha de aprobación']),
  field('pagos', 'metodo_pago', 'Medio con que se pagó.', ['EFECTIVO', 'PAGO_MOVIL']),
];

const entry = (palabra: string, changes: Partial<KnownEntry>): KnownEntry => ({
  id: 1,
  palabra,
  definicion: `${palabra}.`,
  categoria: null,
  tabla_relacionada: null,
  campo_relacionado: null,
  valor: null,
  condicion_sql: null,
  expresion_sql: null,
  sinonimos: [],
  ejemplos_uso: [],
  activo: true,
  ...changes,
});

const DICTIONARY = [
  entry('préstamo', { id: 2, categoria: 'entidad', tabla_relacionada: 'prestamos', sinonimos: ['crédito'] }),
  entry('préstamo activo', {
    id: 3,
    categoria: 'filtro',
    tabla_relacionada: 'prestamos',
    condicion_sql: "prestamos.estado = 'APROBADO'",
    sinonimos: ['vigente'],
  }),
];

const context = (palabra: string, contexto: string | null = null): ImproveContext => ({
  entrada: null,
  palabra,
  contexto,
  fields: FIELDS,
  dictionary: DICTIONARY,
  preguntas: [`¿Cuántos ${palabra} hay?`],
});

describe('local dictionary proposals', () => {
  test('words match however they are inflected, and plurals are written for synonyms', () => {
    assert.deepEqual(rootsOf('Préstamos aprobadas'), rootsOf('préstamo aprobado'));
    assert.deepEqual(rootsOf('EN_REVISION'), rootsOf('en revisión'));
    assert.equal(pluralOf('préstamo vivo'), 'préstamos vivos');
    assert.equal(pluralOf('cuota en mora'), 'cuotas en mora');
    assert.equal(pluralOf('revisión'), 'revisiones');
    assert.equal(pluralOf('préstamos vivos'), null);
  });

  test('a value of a column wins over a column synonym, within the table the word names', () => {
    const draft = localProposal(context('crédito aprobado'));
    assert.equal(draft.pregunta_aclaratoria, null);
    assert.deepEqual(
      [draft.propuesta?.tabla_relacionada, draft.propuesta?.campo_relacionado, draft.propuesta?.valor],
      ['prestamos', 'estado', 'APROBADO'],
    );
    assert.equal(draft.propuesta?.categoria, 'filtro');
    assert.deepEqual(draft.propuesta?.sinonimos, ['créditos aprobados']);
    assert.deepEqual(draft.propuesta?.ejemplos_uso, ['¿Cuántos crédito aprobado hay?']);
  });

  test("another entry's synonym carries its meaning over", () => {
    const draft = localProposal(context('préstamo vigente'));
    assert.equal(draft.propuesta?.valor, 'APROBADO');
    assert.match(draft.explicacion, /«vigente» es sinónimo de la entrada «préstamo activo»/);
  });

  test('two equally good meanings, or none, give one clarifying question', () => {
    const tie = localProposal(context('finalizados'));
    assert.equal(tie.propuesta, null);
    assert.match(tie.pregunta_aclaratoria ?? '', /clientes\.estado = FINALIZADO o a prestamos\.estado = FINALIZADO/);
    const none = localProposal(context('préstamo vivo'));
    assert.equal(none.propuesta, null);
    assert.match(
      none.pregunta_aclaratoria ?? '',
      /^¿«préstamo vivo» se refiere a un valor de prestamos\.estado \(DRAFT/,
    );
    const told = localProposal(context('préstamo vivo', 'son los aprobados'));
    assert.equal(told.propuesta?.valor, 'APROBADO', 'the context settles it');
  });

  test('lists are trimmed and deduplicated ignoring case and accents, without the word itself', () => {
    assert.deepEqual(cleanTerms([' Vehiculo ', 'carro', 'CARRO', 'auto  nuevo', ''], 'vehículo'), [
      'carro',
      'auto nuevo',
    ]);
  });
});
