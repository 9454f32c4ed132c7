import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentWords, stem } from '../embeddings/index.ts';
import {
  coverage,
  type QuestionWord,
  RELEVANCE_THRESHOLD,
  SYNONYM_CREDIT,
  textStems,
  wordCredit,
} from './relevance.ts';

function word(text: string, weight: number, synonyms: string[] = []): QuestionWord {
  return {
    word: text,
    stem: stem(text),
    weight,
    alternatives: synonyms.map((form) => ({ stems: contentWords(form).map(stem), credit: SYNONYM_CREDIT })),
  };
}

describe('coverage (lexical evidence of a passage for a question)', () => {
  // "¿Cuántos días de gracia tiene un préstamo de moto?"
  const question = [word('dias', 1), word('gracia', 3, ['días de tolerancia', 'margen']), word('moto', 2)];

  test('a passage with every word, inflected and accented differently, covers the whole question', () => {
    const stems = textStems('Período de GRACIA: las cuotas de MOTOS tienen 5 días.');
    assert.equal(coverage(question, stems), 1);
  });

  test('rare words weigh more than common ones', () => {
    assert.equal(coverage(question, textStems('La moto tiene 5 días.')), 0.5);
    assert.equal(coverage(question, textStems('El período de gracia.')), 0.5);
    assert.ok(coverage(question, textStems('Gracia y moto')) > coverage(question, textStems('Días y moto')));
  });

  test('a dictionary synonym covers part of a word, and only with all its words', () => {
    const grace = question[1]!;
    assert.equal(wordCredit(grace, textStems('Hay 5 días de tolerancia.')), SYNONYM_CREDIT);
    assert.equal(wordCredit(grace, textStems('Un margen de 2 días.')), SYNONYM_CREDIT);
    assert.equal(wordCredit(grace, textStems('No hay tolerancia.')), 0);
    assert.equal(wordCredit(grace, textStems('Margen y gracia.')), 1);
  });

  test('an unrelated passage, or an empty question, covers nothing', () => {
    assert.equal(coverage(question, textStems('La capital de Francia es París.')), 0);
    assert.equal(coverage([], textStems('cualquier texto')), 0);
  });

  test('one matching common word is not evidence; the main words are', () => {
    // "¿Cuál es la política de vacaciones de los empleados?" against the data-protection scope.
    const vacations = [word('politica', 0.8), word('vacaciones', 5.8), word('empleados', 3.9)];
    const scope = textStems('Política de datos > Alcance. Aplica a todos los empleados y pasantes.');
    assert.ok(coverage(vacations, scope) < RELEVANCE_THRESHOLD);
    assert.ok(coverage(vacations, textStems('Vacaciones de los empleados')) >= RELEVANCE_THRESHOLD);
  });
});
