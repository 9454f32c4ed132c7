import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLocalEmbeddingProvider } from './local-embedding-provider.ts';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, index) => sum + value * (b[index] ?? 0), 0);

describe('local embedding provider', () => {
  const provider = createLocalEmbeddingProvider();

  test('is deterministic, normalised and of the announced size', async () => {
    const [first] = await provider.embedDocuments(['Política de crédito: capacidad de pago']);
    const again = await provider.embedQuery('Política de crédito: capacidad de pago');
    assert.equal(first?.length, provider.dimensions);
    assert.deepEqual(first, again);
    assert.ok(Math.abs(Math.hypot(...again) - 1) < 1e-9);
    assert.match(provider.model, /^local-/);
  });

  test('ignores case and accents, and relates inflected forms and typos', async () => {
    const passage = await provider.embedQuery('Los préstamos personales se desembolsan por transferencia');
    const unrelated = await provider.embedQuery('Las grabaciones de las cámaras se guardan treinta días');
    const variants = [
      'LOS PRESTAMOS PERSONALES SE DESEMBOLSAN POR TRANSFERENCIA',
      'préstamo personal desembolsado por transferencias',
      'prestamos persnoales se desembolsan por tansferencia',
    ];
    for (const variant of variants) {
      const vector = await provider.embedQuery(variant);
      assert.ok(
        cosine(vector, passage) > 0.5 && cosine(vector, passage) > 2 * Math.abs(cosine(vector, unrelated)),
        variant,
      );
    }
  });

  test('an expander brings related words closer', async () => {
    const withThesaurus = createLocalEmbeddingProvider({ expand: (stem) => (stem === 'deudor' ? ['moros'] : []) });
    const passage = 'clientes morosos';
    const plain = cosine(await provider.embedQuery('deudor'), await provider.embedQuery(passage));
    const expanded = cosine(await withThesaurus.embedQuery('deudor'), await withThesaurus.embedQuery(passage));
    assert.ok(expanded > plain + 0.1, `${expanded} vs ${plain}`);
  });
});
