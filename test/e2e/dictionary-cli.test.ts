import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type CliResult, type CliWorkspace, openCliWorkspace, runCli } from '../support/cli.ts';

interface Entry {
  id: number;
  palabra: string;
  valor: string | null;
  definicion: string;
  sinonimos: string[];
  creado_por: number | null;
  creado_por_email: string | null;
}
type Content = Omit<Entry, 'id' | 'creado_por' | 'creado_por_email'> & Record<string, unknown>;

let env: Record<string, string | undefined>;
let workDir: string;
let workspace: CliWorkspace;

function ok(result: CliResult): string {
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

const dictionary = (...args: string[]) => runCli(['diccionario', ...args], env);

describe('rapicredit-ai diccionario', () => {
  before(async () => {
    workspace = await openCliWorkspace('rc-diccionario-cli-');
    ({ env, workDir } = workspace);
  });
  after(async () => {
    await workspace.cleanup();
  });

  test('add, list, export and import: the file round-trips and an import is all or nothing', async () => {
    const added = JSON.parse(
      ok(
        await dictionary(
          'add',
          '--palabra',
          'préstamo vivo',
          '--definicion',
          'Préstamo desembolsado que se está pagando.',
          '--tabla',
          'prestamos',
          '--campo',
          'estado',
          '--valor',
          'aprobado',
          '--sinonimos',
          'préstamos vivos, créditos vivos',
          '--ejemplos',
          '¿Cuántos préstamos vivos hay?|¿Qué préstamos vivos tiene el cliente?',
          '--json',
        ),
      ),
    ) as Entry;
    assert.equal(added.valor, 'APROBADO');
    assert.deepEqual(added.sinonimos, ['préstamos vivos', 'créditos vivos']);
    assert.equal(added.creado_por, null, 'an operator without an account');
    assert.match(added.creado_por_email ?? '', /^cli:/);

    const listed = ok(await dictionary('list', '--buscar', 'CREDITOS VIV'));
    assert.match(listed, /#\d+ préstamo vivo \[sin categoría\] → prestamos\.estado = APROBADO · 2 sinónimos/);
    assert.match(listed, /1 de 1 entradas\./);

    const bad = path.join(workDir, 'malo.json');
    writeFileSync(
      bad,
      JSON.stringify({
        entradas: [
          { palabra: 'cliente fantasma', definicion: 'Válida.' },
          { palabra: 'cuota rara', definicion: 'Mala.', tabla_relacionada: 'cuotas', valor: 'X' },
        ],
      }),
    );
    const refused = await dictionary('import', bad);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /La importación no se guardó .*entrada 2 «cuota rara»: valor requiere campo_relacionado/,
    );

    const file = path.join(workDir, 'diccionario.json');
    assert.match(ok(await dictionary('export', file)), /^\d+ entradas exportadas a /);
    const exported = JSON.parse(readFileSync(file, 'utf8')) as Content[];
    assert.ok(exported.some((entry) => entry.palabra === 'préstamo vivo' && entry.valor === 'APROBADO'));
    assert.ok(!exported.some((entry) => entry.palabra === 'cliente fantasma'), 'the refused import saved nothing');
    assert.ok(exported.every((entry) => !('id' in entry) && !('creado_en' in entry)));

    const edited = exported.map((entry) =>
      entry.palabra === 'préstamo vivo' ? { ...entry, definicion: 'Editada en el archivo.' } : entry,
    );
    const inactive = {
      palabra: 'cliente inactivo',
      definicion: 'Cliente INACTIVO.',
      tabla_relacionada: 'clientes',
      campo_relacionado: 'estado',
      valor: 'inactivo',
    };
    writeFileSync(file, JSON.stringify([...edited, inactive]));
    const imported = ok(await dictionary('import', file));
    assert.equal(
      imported.trim(),
      `Importación de ${exported.length + 1} entradas: 1 creadas, 1 actualizadas, ${exported.length - 1} sin cambios.`,
    );
  });

  test('mejorar prints a proposal from the field definitions', async () => {
    const proposal = JSON.parse(ok(await dictionary('mejorar', 'préstamo vigente', '--json'))) as {
      propuesta: { tabla_relacionada: string; campo_relacionado: string; valor: string } | null;
      modelo: string;
    };
    assert.equal(proposal.modelo, 'local-diccionario-v1');
    assert.deepEqual(
      [proposal.propuesta?.tabla_relacionada, proposal.propuesta?.campo_relacionado, proposal.propuesta?.valor],
      ['prestamos', 'estado', 'APROBADO'],
    );
  });
});
