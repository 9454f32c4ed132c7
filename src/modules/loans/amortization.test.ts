import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dueDay, frenchSchedule, installmentCents } from './amortization.ts';
import { isoDate, toDay } from './calendar.ts';

const sumCents = (values: number[]) => values.reduce((total, value) => total + Math.round(value * 100), 0);

describe('frenchSchedule', () => {
  test('1,000 at 24 % a year in 12 monthly installments pays 94.56 a month', () => {
    const schedule = frenchSchedule({
      principal: 1000,
      tasaAnual: 24,
      modalidad: 'MENSUAL',
      numeroCuotas: 12,
      fechaAprobacion: '2024-03-10',
    });
    assert.equal(schedule.cuota_periodo, 94.56);
    assert.equal(schedule.cuotas.length, 12);
    const first = schedule.cuotas[0];
    assert.deepEqual(first, {
      numero_cuota: 1,
      fecha_vencimiento: '2024-04-10',
      monto_cuota: 94.56,
      monto_capital: 74.56,
      monto_interes: 20,
      saldo_capital_inicial: 1000,
      saldo_capital_final: 925.44,
    });
  });

  for (const modalidad of ['MENSUAL', 'QUINCENAL', 'SEMANAL'] as const) {
    test(`${modalidad}: capital adds up to the principal, balances chain and end at 0`, () => {
      const schedule = frenchSchedule({
        principal: 3457.89,
        tasaAnual: 47.5,
        modalidad,
        numeroCuotas: 37,
        fechaAprobacion: '2023-11-30',
      });
      assert.equal(sumCents(schedule.cuotas.map((cuota) => cuota.monto_capital)), 345789);
      assert.equal(schedule.cuotas.at(-1)?.saldo_capital_final, 0);
      schedule.cuotas.forEach((cuota, index) => {
        const previous = schedule.cuotas[index - 1];
        assert.equal(cuota.saldo_capital_inicial, previous ? previous.saldo_capital_final : 3457.89);
        assert.equal(sumCents([cuota.monto_capital, cuota.monto_interes]), Math.round(cuota.monto_cuota * 100));
        if (index < schedule.cuotas.length - 1) assert.equal(cuota.monto_cuota, schedule.cuota_periodo);
      });
      const last = schedule.cuotas.at(-1);
      assert.ok(last && Math.abs(last.monto_cuota - schedule.cuota_periodo) < 0.5, 'the last one only absorbs cents');
    });
  }

  test('without interest the principal is split evenly and the last installment takes the remainder', () => {
    const schedule = frenchSchedule({
      principal: 100,
      tasaAnual: 0,
      modalidad: 'QUINCENAL',
      numeroCuotas: 3,
      fechaAprobacion: '2024-01-01',
    });
    assert.equal(schedule.cuota_periodo, 33.33);
    assert.deepEqual(
      schedule.cuotas.map((cuota) => cuota.monto_cuota),
      [33.33, 33.33, 33.34],
    );
    assert.ok(schedule.cuotas.every((cuota) => cuota.monto_interes === 0));
  });
});

describe('due dates', () => {
  test('monthly from January 31 clamps to the end of February and returns to the 31st', () => {
    const dates = (approval: string) => [1, 2, 3].map((number) => isoDate(dueDay(toDay(approval), 'MENSUAL', number)));
    assert.deepEqual(dates('2024-01-31'), ['2024-02-29', '2024-03-31', '2024-04-30']);
    assert.deepEqual(dates('2023-01-31'), ['2023-02-28', '2023-03-31', '2023-04-30']);
    assert.deepEqual(dates('2023-12-15'), ['2024-01-15', '2024-02-15', '2024-03-15']);
  });

  test('quincenal adds 15 days and semanal 7 days per installment', () => {
    const approval = toDay('2024-02-20');
    assert.deepEqual(
      [1, 2].map((number) => isoDate(dueDay(approval, 'QUINCENAL', number))),
      ['2024-03-06', '2024-03-21'],
    );
    assert.deepEqual(
      [1, 2].map((number) => isoDate(dueDay(approval, 'SEMANAL', number))),
      ['2024-02-27', '2024-03-05'],
    );
  });

  test('the installment formula rounds to cents', () => {
    assert.equal(installmentCents(100000, 0.02, 12), 9456);
    assert.equal(installmentCents(100000, 0, 7), 14286);
  });
});
