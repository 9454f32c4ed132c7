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

  test('word weights make a rare word count more than a common one', async () => {
    const about = (text: string) => provider.embedQuery(text);
    const weights = new Map([
      ['grabaciones', 4],
      ['cobranza', 0.5],
    ]);
    const question = 'grabaciones de cobranza';
    const recordings = await about('las grabaciones se conservan doce meses');
    const collections = await about('la cobranza empieza el día siguiente');
    const plain = await provider.embedQuery(question);
    const weighted = await provider.embedQuery(question, { wordWeights: weights });
    assert.ok(Math.abs(cosine(plain, recordings) - cosine(plain, collections)) < 0.1);
    assert.ok(cosine(weighted, recordings) > 2 * cosine(weighted, collections));
  });
});
