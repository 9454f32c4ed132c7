import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliResult, type CliWorkspace, openCliWorkspace, runCli } from '../support/cli.ts';

const EVAL_DIR = path.resolve(import.meta.dirname, '../../../shared/eval');
const EVALUATION_BOOK = path.join(EVAL_DIR, 'libro-evaluacion.sql');
const ACTIVE_LOANS_SQL = "SELECT count(*) AS n FROM prestamos WHERE estado = 'APROBADO'";

interface AnswerLine {
  pregunta: string;
  respuesta: string;
  ruta: string;
  sql: string | null;
  columnas: string[];
  filas: unknown[][];
  documentos: unknown[];
  conversacion_id: number;
  hilo_id: number;
  modelo_usado: string;
  tiempo_respuesta_ms: number;
}
interface EvaluationJson {
  total: number;
  correctas: number;
  exactitud: number;
  por_familia: Record<string, { total: number; correctas: number; exactitud: number }>;
  fallos: {
    id: string;
    familia: string;
    pregunta: string;
    correcta: boolean;
    motivo?: string;
    conversacion_id: number;
  }[];
}
interface DevItem {
  id: string;
  pregunta: string;
  sql_esperado: string;
  familia: string;
}

/** Where this file's CLI runs keep their data; no inherited API key turns the chat model on. */
let env: Record<string, string | undefined>;
let workDir: string;
let workspace: CliWorkspace;

function ok(result: CliResult): string {
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

function jsonLines<T>(stdout: string): T[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

async function sql<T = unknown[]>(query: string): Promise<T[]> {
  const output = ok(await runCli(['sql', query, '--json'], env));
  return (JSON.parse(output) as { filas: T[] }).filas;
}

function writeJsonl(name: string, lines: (string | object)[]): string {
  const file = path.join(workDir, name);
  writeFileSync(file, `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`);
  return file;
}

describe('rapicredit-ai ask and eval', () => {
  before(async () => {
    workspace = await openCliWorkspace('rc-chat-cli-');
    ({ env, workDir } = workspace);
    ok(await runCli(['db', 'load', EVALUATION_BOOK, '--json'], env));
  });
  after(async () => {
    await workspace.cleanup();
  });

  test('ask --json prints one JSON line with the answer, its SQL and rows, and stores it', async () => {
    const stdout = ok(await runCli(['ask', '¿Cuántos préstamos activos hay?', '--json'], env));
    assert.equal(stdout.trim().split('\n').length, 1, 'exactly one line');
    const answer = JSON.parse(stdout) as AnswerLine;
    assert.deepEqual(Object.keys(answer).sort(), [
      'columnas',
      'conversacion_id',
      'documentos',
      'filas',
      'hilo_id',
      'modelo_usado',
      'pregunta',
      'respuesta',
      'ruta',
      'sql',
      'tiempo_respuesta_ms',
    ]);
    const [stored] = await sql<[number, string, string, string]>(
      `SELECT (${ACTIVE_LOANS_SQL})::int, pregunta, respuesta, modelo_usado FROM conversaciones_ai WHERE id = ${answer.conversacion_id}`,
    );
    assert.ok(stored, 'the answer is stored as a conversation');
    const [active, ...conversation] = stored;
    assert.deepEqual(conversation, [answer.pregunta, answer.respuesta, 'local-semantico-v1']);
    assert.equal(answer.pregunta, '¿Cuántos préstamos activos hay?');
    assert.equal(answer.ruta, 'base_datos');
    assert.match(answer.sql ?? '', /^SELECT/);
    assert.deepEqual(answer.filas, [[active]]);
    assert.match(answer.respuesta, new RegExp(`^${active} préstamos`));
    assert.deepEqual(answer.documentos, []);
    assert.equal(answer.modelo_usado, 'local-semantico-v1');
    assert.ok(Number.isInteger(answer.tiempo_respuesta_ms) && answer.tiempo_respuesta_ms >= 0);

    // Without --json the same answer reads as text, with its SQL and where it came from.
    const text = ok(await runCli(['ask', '¿Cuántos préstamos activos hay?'], env));
    assert.ok(text.startsWith(answer.respuesta), text);
    assert.match(text, /SQL:\nSELECT/);
    assert.match(text, /\[ruta: base_datos · modelo: local-semantico-v1 · \d+ ms · conversación #\d+ · hilo \d+\]/);
  });

  test('ask --hilo continues a thread', async () => {
    const first = JSON.parse(
      ok(await runCli(['ask', '¿Cuál es el saldo pendiente del préstamo 94?', '--json'], env)),
    ) as AnswerLine;
    const [[left]] = (await sql<[number]>(
      "SELECT count(*)::int FROM cuotas WHERE prestamo_id = 94 AND estado <> 'PAGADO'",
    )) as [[number]];
    const followUp = JSON.parse(
      ok(await runCli(['ask', '¿y cuántas cuotas le quedan?', '--hilo', String(first.hilo_id), '--json'], env)),
    ) as AnswerLine;
    assert.equal(followUp.hilo_id, first.hilo_id);
    assert.deepEqual(followUp.filas, [[left]]);
    const unknown = await runCli(['ask', '¿y cuántas cuotas le quedan?', '--hilo', '999999'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No existe el hilo 999999/);
  });

  test('ask --file --json prints one line per question, in the order of the file', async () => {
    const questions = [
      '¿Cuántos préstamos activos hay?',
      '¿Cuál es el saldo pendiente del préstamo 94?',
      '¿Cuál es la capital de Francia?',
    ];
    const file = writeJsonl('preguntas.jsonl', [
      { pregunta: questions[0] },
      '',
      ...questions.slice(1).map((q) => ({ pregunta: q })),
    ]);
    const lines = jsonLines<AnswerLine>(ok(await runCli(['ask', '--file', file, '--json'], env)));
    assert.deepEqual(
      lines.map((line) => line.pregunta),
      questions,
    );
    assert.deepEqual(
      lines.map((line) => line.ruta),
      ['base_datos', 'base_datos', 'ninguna'],
    );
    const ids = lines.map((line) => line.conversacion_id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
      'answered in order',
    );
    const stored = await sql<[string]>(`SELECT pregunta FROM conversaciones_ai WHERE id >= ${ids[0]} ORDER BY id`);
    assert.deepEqual(
      stored,
      questions.map((question) => [question]),
      'each question stored once, in order',
    );
  });

  test('a malformed line stops ask --file with a Spanish error naming the line, before anything is answered', async () => {
    const first = '¿Cuántos clientes hay? (antes de una línea rota)';
    const notJson = writeJsonl('roto.jsonl', [{ pregunta: first }, '{"pregunta": ']);
    const wrongType = writeJsonl('tipo.jsonl', [{ pregunta: first }, '', { pregunta: 5 }]);
    const broken = await runCli(['ask', '--file', notJson, '--json'], env);
    assert.equal(broken.code, 1);
    assert.equal(broken.stderr.trim(), `Error: ${notJson}, línea 2: no es JSON válido.`);
    const typed = await runCli(['ask', '--file', wrongType, '--json'], env);
    assert.equal(typed.code, 1);
    assert.match(typed.stderr, new RegExp(`^Error: .*tipo\\.jsonl, línea 3: pregunta .*texto`));
    for (const result of [broken, typed]) {
      assert.equal(result.stdout, '', 'no line was answered');
      assert.doesNotMatch(result.stderr, /\bat .+:\d+:\d+/, 'no stack trace');
    }
    const missing = await runCli(['ask', '--file', path.join(workDir, 'no-existe.jsonl')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^Error: No se pudo abrir el archivo .*no-existe\.jsonl/);
    assert.deepEqual(
      await sql(`SELECT count(*)::int FROM conversaciones_ai WHERE pregunta = '${first}'`),
      [[0]],
      'nothing was stored',
    );
  });

  test('eval reports accuracy per familia, lists the wrong item, and stores every question', async () => {
    const dev = new Map(
      readFileSync(path.join(EVAL_DIR, 'nl2sql-dev.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as DevItem)
        .map((item) => [item.id, item]),
    );
    const pick = (id: string): DevItem => {
      const item = dev.get(id);
      assert.ok(item, id);
      return item;
    };
    // Three items as the dev set has them, and one whose expected SQL gives other numbers.
    const gold = pick('d013');
    const wrong = {
      ...gold,
      id: 'd013-alterado',
      sql_esperado: `SELECT 2 * t.v AS doble FROM (${gold.sql_esperado}) AS t(v)`,
    };
    const items = [pick('d001'), pick('d008'), pick('d026'), wrong];
    const file = writeJsonl('evaluacion.jsonl', items);
    const [figures] = await sql<[number, number, number]>(
      `SELECT (${gold.sql_esperado}), (${wrong.sql_esperado}), (SELECT count(*)::int FROM conversaciones_ai)`,
    );
    assert.ok(figures);
    const [expected, doubled, before] = figures;
    assert.ok(Number(expected) > 0);
    assert.equal(Number(doubled), Number(expected) * 2, 'the altered item really expects other numbers');

    const report = JSON.parse(ok(await runCli(['eval', file, '--json'], env))) as EvaluationJson;
    assert.deepEqual(Object.keys(report).sort(), ['correctas', 'exactitud', 'fallos', 'por_familia', 'total']);
    assert.equal(report.total, 4);
    assert.equal(report.correctas, 3);
    assert.equal(report.exactitud, 75);
    assert.deepEqual(report.por_familia, {
      lookup: { total: 1, correctas: 1, exactitud: 100 },
      count: { total: 1, correctas: 1, exactitud: 100 },
      groupby: { total: 1, correctas: 1, exactitud: 100 },
      sum: { total: 1, correctas: 0, exactitud: 0 },
    });
    assert.deepEqual(
      report.fallos.map((failure) => [failure.id, failure.familia, failure.correcta]),
      [['d013-alterado', 'sum', false]],
    );
    assert.ok(report.fallos[0]?.motivo, 'the failure says why');
    const stored = await sql<[number, string]>(
      `SELECT (SELECT count(*)::int FROM conversaciones_ai), pregunta FROM conversaciones_ai WHERE id = ${report.fallos[0]?.conversacion_id}`,
    );
    assert.deepEqual(stored, [[before + 4, wrong.pregunta]], 'every question was stored as a conversation');

    const text = ok(await runCli(['eval', file], env));
    assert.match(text, /^Exactitud: 3\/4 \(75 %\)\nPor familia:\n/);
    assert.match(text, /^ {2}count +1\/1 \(100 %\)$/m);
    assert.match(text, /^ {2}sum +0\/1 \(0 %\)$/m);
    assert.match(text, /^Fallos \(1\):\n {2}d013-alterado \[sum\] /m);
  });

  test('a malformed evaluation file is refused before any question is asked', async () => {
    const first = '¿Cuántos clientes hay? (evaluación rota)';
    const file = writeJsonl('eval-roto.jsonl', [
      { pregunta: first, sql_esperado: 'SELECT count(*) FROM clientes' },
      { pregunta: '¿Cuántos préstamos hay?' },
    ]);
    const result = await runCli(['eval', file], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /línea 2: sql_esperado/);
    assert.deepEqual(await sql(`SELECT count(*)::int FROM conversaciones_ai WHERE pregunta = '${first}'`), [[0]]);
  });
});
