import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliResult, type CliWorkspace, openCliWorkspace, runCli } from '../support/cli.ts';

const EVALUATION_BOOK = path.resolve(import.meta.dirname, '../../../shared/eval/libro-evaluacion.sql');
const LIVE_LOANS = "SELECT count(*) AS prestamos FROM prestamos WHERE estado = 'APROBADO'";

let env: Record<string, string | undefined>;

let workspace: CliWorkspace;

function ok(result: CliResult): string {
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}
const json = async <T>(args: string[]): Promise<T> => JSON.parse(ok(await runCli([...args, '--json'], env))) as T;

describe('rapicredit-ai calificar, calificaciones and corregir', () => {
  before(async () => {
    workspace = await openCliWorkspace('rc-learning-cli-');
    ({ env } = workspace);
    ok(await runCli(['db', 'load', EVALUATION_BOOK, '--json'], env));
    ok(
      await runCli(
        ['users', 'add', '--email', 'ana@rapicredit.com', '--rol', 'ANALISTA', '--password', 'clave-analista'],
        env,
      ),
    );
  });
  after(async () => {
    await workspace.cleanup();
  });

  test('a thumbs down from the CLI reaches the queue; a corrected SQL fixes the next answer', async () => {
    const wrong = await json<{ conversacion_id: number; filas: unknown[][] }>([
      'ask',
      '¿Cuántos préstamos vivos hay?',
      '--usuario',
      'ana@rapicredit.com',
    ]);
    const rating = await json<{ id: number; calificacion: string; usuario_email: string }>([
      'calificar',
      String(wrong.conversacion_id),
      '--pulgar',
      'abajo',
      '--feedback',
      'vivo = aprobado',
    ]);
    assert.equal(rating.calificacion, 'abajo');
    assert.equal(rating.usuario_email, 'ana@rapicredit.com', 'the asker rates by default');

    const queue = await json<{ calificaciones: { calificacion: { id: number }; conversacion: { sql: string } }[] }>([
      'calificaciones',
      'list',
      '--pendientes',
    ]);
    assert.deepEqual(
      queue.calificaciones.map((item) => item.calificacion.id),
      [rating.id],
    );
    const text = ok(await runCli(['calificaciones', 'list', '--pendientes'], env));
    assert.match(text, /Pregunta: ¿Cuántos préstamos vivos hay\?/);
    assert.match(text, /No entendidas: vivos/);

    const refused = await runCli(['corregir', String(wrong.conversacion_id), '--sql', 'DELETE FROM prestamos'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^Error: .*SELECT/m);

    const correction = await json<{ ejemplo: { id: number }; vista_previa: { filas: number[][] } }>([
      'corregir',
      String(wrong.conversacion_id),
      '--sql',
      LIVE_LOANS,
      '--calificacion',
      String(rating.id),
    ]);
    const expected = correction.vista_previa.filas[0]?.[0];
    assert.notDeepEqual(wrong.filas, correction.vista_previa.filas, 'the correction changes the figure');

    const reask = await json<{ cambio: boolean; despues: { filas: unknown[][] } }>([
      'calificaciones',
      'repreguntar',
      String(rating.id),
    ]);
    assert.equal(reask.cambio, true);
    assert.deepEqual(reask.despues.filas, [[expected]]);
    const processed = await json<{ procesado: boolean; mejorado: boolean }>([
      'calificaciones',
      'procesar',
      String(rating.id),
      '--notas',
      'SQL corregida',
      '--aceptar',
    ]);
    assert.deepEqual(processed, { ...processed, procesado: true, mejorado: true });

    const again = await json<{ filas: unknown[][]; modelo_usado: string }>([
      'ask',
      '¿Cuántos préstamos vivos tenemos?',
    ]);
    assert.deepEqual(again.filas, [[expected]]);
    assert.equal(again.modelo_usado, 'ejemplo-verificado');

    const stats = await json<{ pulgares: { abajo: number }; mejoras: { mejoradas: number } }>([
      'calificaciones',
      'stats',
    ]);
    assert.equal(stats.pulgares.abajo, 1);
    assert.equal(stats.mejoras.mejoradas, 1);
    const history = ok(await runCli(['calificaciones', 'historial'], env));
    assert.match(history, /cli:\S+ · corregir ejemplo/);
  });

  test('wrong input: Spanish errors and a non-zero exit', async () => {
    const stars = await runCli(['calificar', '1', '--estrellas', '9'], env);
    assert.equal(stars.code, 1);
    assert.match(stars.stderr, /1 al 5/);
    const missing = await runCli(['calificar', '99999', '--pulgar', 'abajo'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No existe la conversación 99999/);
    const analyst = await runCli(['calificaciones', 'procesar', '1', '--usuario', 'ana@rapicredit.com'], env);
    assert.equal(analyst.code, 1);
    assert.match(analyst.stderr, /administrador/);
  });
});
