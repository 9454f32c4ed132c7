import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskValue } from './mask-value.ts';

describe('maskValue', () => {
  test('a cédula or RIF keeps its letter, first two and last two digits', () => {
    assert.equal(maskValue('V12345678'), 'V12•••••78');
    assert.equal(maskValue('J3012345678'), 'J30•••••78');
    assert.equal(maskValue('E-81234567'), 'E81•••••67');
  });

  test('an e-mail keeps its first character and its domain', () => {
    assert.equal(maskValue('juan.perez@gmail.com'), 'j•••@gmail.com');
  });

  test('a date keeps the year only', () => {
    assert.equal(maskValue('1988-05-17'), '1988-••-••');
    assert.equal(maskValue('2024-03-01T10:00:00.000Z'), '2024-••-••');
  });

  test('a phone keeps its last two digits and its separators', () => {
    assert.equal(maskValue('0414-5551234'), '••••-•••••34');
    assert.equal(maskValue('+58 412 555 12 34'), '+•• ••• ••• •• 34');
    assert.equal(maskValue('123'), '•••');
  });

  test('names and free text keep the initial of each word', () => {
    assert.equal(maskValue('María Pérez'), 'M••• P•••');
    assert.equal(maskValue('Av. Libertador, Casa Nro. 1, Caracas'), 'A••• L••• C••• N••• ••• C•••');
    assert.equal(
      maskValue('uno dos tres cuatro cinco seis siete ocho nueve'),
      'u••• d••• t••• c••• c••• s••• s••• o••• …',
    );
  });

  test('masking a masked value changes nothing, and no masked value equals its original', () => {
    for (const value of ['V12345678', 'ana@x.com', '1990-01-02', '0212-1234567', 'Pedro Luis Gómez']) {
      const masked = maskValue(value);
      assert.notEqual(masked, value);
      assert.equal(maskValue(masked), masked);
    }
  });
});
