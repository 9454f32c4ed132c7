import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitSentences } from './sentences.ts';

test('sentences end at a full stop before a capital, not at abbreviations or list numbers', () => {
  assert.deepEqual(splitSentences('RAPICREDIT, C.A. presta en USD. La Carta N.º 3 se firma el día 60.  Fin.'), [
    { text: 'RAPICREDIT, C.A. presta en USD.' },
    { text: 'La Carta N.º 3 se firma el día 60.' },
    { text: 'Fin.' },
  ]);
});

test('a lead-in ending in ":" is quoted with its list; list markers are dropped', () => {
  const text =
    'La visita es obligatoria en estos casos:\n- Solicitudes de VEHICULO por más de 10.000 USD.\n- 2. Todas las COMERCIAL.\nOtra frase.';
  assert.deepEqual(splitSentences(text), [
    {
      text: 'La visita es obligatoria en estos casos: Solicitudes de VEHICULO por más de 10.000 USD. Todas las COMERCIAL.',
    },
    { text: 'Otra frase.' },
  ]);
});

test('a question is kept with its answer, and table rows carry their header', () => {
  assert.deepEqual(splitSentences('P: ¿Puedo pagar en efectivo? R: Sí, en caja. Solo en dólares.'), [
    { text: 'P: ¿Puedo pagar en efectivo? R: Sí, en caja.' },
    { text: 'Solo en dólares.' },
  ]);
  assert.deepEqual(splitSentences('Rol\tLímite\nCoordinador de Crédito\t12.000 USD'), [
    { text: 'Rol Límite' },
    { text: 'Coordinador de Crédito 12.000 USD', columns: 'Rol | Límite' },
  ]);
});
