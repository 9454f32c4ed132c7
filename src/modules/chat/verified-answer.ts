import { isAppError } from '../../errors.ts';
import { runGuardedQuery, type ExampleMatch } from '../sql-assistant/index.ts';
import { describeRows } from './describe-result.ts';
import type { AnswerQuestionDeps, Draft } from './draft-answer.ts';

/** How `modelo_usado` names answers taken from an administrator's correction. */
export const VERIFIED_EXAMPLE_MODEL = 'ejemplo-verificado';

const NOTE = 'Respondí con una corrección verificada por un administrador para esta pregunta.';

/**
 * The answer an administrator's correction gives: its SQL run again (guarded, read-only) for today's
 * data and this question's values, or its written answer. A corrected SQL that no longer runs
 * (a column was removed) is reported, not hidden.
 */
export async function draftFromExample(
  deps: AnswerQuestionDeps,
  match: ExampleMatch,
  settings: { maxRows: number; timeoutMs: number },
): Promise<Draft> {
  const { example } = match;
  const contexto = { motor: 'ejemplo_verificado', ejemplo_id: example.id, similitud: match.score };
  const base: Draft = {
    respuesta: '',
    ruta: example.ruta,
    sql: match.sql,
    parametros: [],
    result: null,
    documents: null,
    modelo: VERIFIED_EXAMPLE_MODEL,
    tokens: 0,
    contexto,
  };
  if (!match.sql) return { ...base, respuesta: `${example.respuesta_corregida ?? ''}\n(${NOTE})` };
  try {
    const result = await runGuardedQuery(deps.db, match.sql, [], settings);
    const text = example.respuesta_corregida ?? describeRows(result);
    return { ...base, ruta: 'base_datos', result, respuesta: `${text}\n(${NOTE})` };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      ...base,
      ruta: 'base_datos',
      respuesta: `La corrección verificada para esta pregunta ya no se puede ejecutar: ${error.message}`,
      contexto: { ...contexto, error: error.message },
    };
  }
}
