import type { Database } from '../../db/database.ts';
import { readOnlyQuery } from '../../db/read-only-query.ts';
import { compareResults } from '../sql-assistant/index.ts';
import { answerQuestion } from './answer-question.ts';
import type { AnswerQuestionDeps } from './draft-answer.ts';
import type { Viewer } from './conversation-store.ts';

/** One evaluation item: a question and the SQL whose result is the right answer. */
export interface EvaluationItem {
  id?: string;
  pregunta: string;
  sql_esperado: string;
  familia?: string;
  columnas_etiqueta?: string[];
}

/** The verdict on one item. */
export interface EvaluationOutcome {
  id: string;
  familia: string;
  pregunta: string;
  correcta: boolean;
  motivo?: string;
  sql: string | null;
  ruta: string;
  conversacion_id: number;
}

/** Accuracy overall and per family, with every failure. */
export interface EvaluationReport {
  total: number;
  correctas: number;
  exactitud: number;
  por_familia: Record<string, { total: number; correctas: number; exactitud: number }>;
  fallos: EvaluationOutcome[];
  resultados: EvaluationOutcome[];
}

const ratio = (right: number, total: number): number => (total === 0 ? 0 : Math.round((1000 * right) / total) / 10);

/**
 * Asks every question as a user would (each answer is stored as a conversation), runs the expected
 * SQL read-only on the same database, and compares the result sets by the evaluation rules.
 */
export async function evaluateQuestions(
  deps: AnswerQuestionDeps & { db: Database },
  items: EvaluationItem[],
  options: { usuario?: Viewer; onItem?: (outcome: EvaluationOutcome) => void } = {},
): Promise<EvaluationReport> {
  const resultados: EvaluationOutcome[] = [];
  for (const [index, item] of items.entries()) {
    const id = item.id ?? String(index + 1);
    const familia = item.familia ?? 'sin familia';
    const answer = await answerQuestion(deps, { pregunta: item.pregunta, usuario: options.usuario, maxRows: 10_000 });
    let outcome: EvaluationOutcome;
    try {
      const gold = await readOnlyQuery(deps.db, item.sql_esperado, { timeoutMs: 60_000 });
      const verdict =
        answer.sql === null
          ? { igual: false, motivo: `Sin consulta: ${answer.respuesta.split('\n')[0] ?? ''}` }
          : compareResults(
              gold,
              { columnas: answer.columnas, filas: answer.filas },
              { columnasEtiqueta: item.columnas_etiqueta },
            );
      outcome = {
        id,
        familia,
        pregunta: item.pregunta,
        correcta: verdict.igual,
        motivo: verdict.motivo,
        sql: answer.sql,
        ruta: answer.ruta,
        conversacion_id: answer.conversacion_id,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        id,
        familia,
        pregunta: item.pregunta,
        correcta: false,
        motivo: `La consulta esperada falló: ${message}`,
        sql: answer.sql,
        ruta: answer.ruta,
        conversacion_id: answer.conversacion_id,
      };
    }
    resultados.push(outcome);
    options.onItem?.(outcome);
  }
  const por_familia: EvaluationReport['por_familia'] = {};
  for (const outcome of resultados) {
    const family = (por_familia[outcome.familia] ??= { total: 0, correctas: 0, exactitud: 0 });
    family.total++;
    if (outcome.correcta) family.correctas++;
  }
  for (const family of Object.values(por_familia)) family.exactitud = ratio(family.correctas, family.total);
  const correctas = resultados.filter((outcome) => outcome.correcta).length;
  return {
    total: resultados.length,
    correctas,
    exactitud: ratio(correctas, resultados.length),
    por_familia,
    fallos: resultados.filter((outcome) => !outcome.correcta),
    resultados,
  };
}
