import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { insertClient, insertLoan } from '../../../test/factories.ts';
import { openTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { refreshInstallmentStates } from './refresh-installment-states.ts';

let testDb: TestDatabase;
let loanId: number;
before(async () => {
  testDb = await openTestDatabase();
  const { db } = testDb;
  const client = await insertClient(db);
  const { rows } = await db.query<{ hace: string }>('SELECT (CURRENT_DATE - 130)::text AS hace');
  const loan = await insertLoan(db, {
    cliente_id: client.id,
    modalidad_pago: 'MENSUAL',
    numero_cuotas: 12,
    fecha_aprobacion: rows[0]?.hace ?? '',
    fecha_requerimiento: rows[0]?.hace ?? '',
  });
  loanId = loan.id;
  // Cuota 1 paid on its due date; cuota 2 received 10.00 before it fell due; the rest nothing.
  await db.query(
    `UPDATE cuotas SET estado = 'PAGADO', total_pagado = monto_cuota, fecha_pago = fecha_vencimiento
      WHERE prestamo_id = $1 AND numero_cuota = 1`,
    [loanId],
  );
  await db.query(
    "UPDATE cuotas SET estado = 'ADELANTADO', total_pagado = 10 WHERE prestamo_id = $1 AND numero_cuota = 2",
    [loanId],
  );
});
after(() => testDb.close());

interface InstallmentState {
  numero_cuota: number;
  estado: string;
  dias_mora: number;
  esperado: number;
}

async function states(): Promise<InstallmentState[]> {
  const { rows } = await testDb.db.query<InstallmentState>(
    `SELECT numero_cuota, estado, dias_mora, GREATEST(CURRENT_DATE - fecha_vencimiento, 0) AS esperado
       FROM cuotas WHERE prestamo_id = $1 ORDER BY numero_cuota`,
    [loanId],
  );
  return rows;
}

test('unpaid installments that fell due become ATRASADO or PARCIAL with their days late', async () => {
  const report = await refreshInstallmentStates({ db: testDb.db });
  assert.equal(report.cuotasActualizadas, 3, 'cuotas 2, 3 and 4 had fallen due');
  const [first, second, third, fourth, fifth] = await states();
  assert.equal(first?.estado, 'PAGADO');
  assert.equal(second?.estado, 'PARCIAL');
  assert.equal(second?.dias_mora, second?.esperado);
  assert.equal(third?.estado, 'ATRASADO');
  assert.equal(fourth?.estado, 'ATRASADO');
  assert.ok((fourth?.dias_mora ?? 0) > 0);
  assert.equal(fifth?.estado, 'PENDIENTE');
  assert.equal(fifth?.dias_mora, 0);
  assert.equal((await refreshInstallmentStates({ db: testDb.db })).cuotasActualizadas, 0, 'idempotent');
});

test('a day later every overdue installment is one more day late; paid ones do not move', async () => {
  const before = await states();
  await testDb.db.query('UPDATE cuotas SET fecha_vencimiento = fecha_vencimiento - 1 WHERE prestamo_id = $1', [loanId]);
  await refreshInstallmentStates({ db: testDb.db });
  const after = await states();
  for (const [index, cuota] of after.entries()) {
    const previous = before[index];
    if (cuota.estado === 'PAGADO') assert.equal(cuota.dias_mora, previous?.dias_mora);
    else if (['ATRASADO', 'PARCIAL'].includes(cuota.estado)) assert.equal(cuota.dias_mora, cuota.esperado);
  }
  assert.equal(after[1]?.dias_mora, (before[1]?.dias_mora ?? 0) + 1);
});
