import { amortize, dueDay } from './amortization.ts';
import { CASH_DESK_EMAIL, pickBank } from './demo-catalog.ts';
import { type DemoClient, pickPaymentMethod } from './demo-client.ts';
import type { BatchWriter } from './loan-book-csv.ts';
import type { LoanTerms } from './loan-terms.ts';
import type { PaymentProfile } from './payment-risk.ts';
import type { SeededRandom } from './random.ts';

/** Next ids to hand out; shared across batches so ids stay unique in the whole book. */
export interface IdCounters {
  cliente: number;
  prestamo: number;
  cuota: number;
  pago: number;
}

/** What the next loan of the same client (and its client row) needs to know about this one. */
export interface RepaymentOutcome {
  /** Every cuota fully paid as of hoy. */
  finished: boolean;
  lastPaymentDay: number;
  /** Share of the cuotas due before hoy that were (or are) late. */
  lateShare: number;
}

interface Loan {
  id: number;
  clienteId: number;
  approvalDay: number;
  terms: LoanTerms;
  analystEmail: string;
}

// Planned payments of one cuota (at most three parts), reused to avoid an array per cuota.
const plannedDays = [0, 0, 0];
const plannedCents = [0, 0, 0];

/** A share of `cents` between 25 % and 75 %, leaving at least one cent on each side. */
function part(random: SeededRandom, cents: number): number {
  return Math.min(cents - 1, Math.max(1, Math.round(cents * random.between(0.25, 0.75))));
}

/** How one cuota would be paid if time ran on forever (hoy cuts the plan later); returns the parts. */
function plan(random: SeededRandom, profile: PaymentProfile, due: number, amount: number, stopped: boolean): number {
  if (stopped) return 0;
  const late = random.chance(profile.lateProbability);
  const settle = late ? due + 1 + Math.floor(random.exponential(profile.meanDaysLate)) : due - random.int(0, 3);
  if (amount >= 2 && random.chance(profile.earlyPartialProbability)) {
    plannedDays[0] = due - random.int(3, 15);
    plannedCents[0] = part(random, amount);
    plannedDays[1] = settle;
    plannedCents[1] = amount - plannedCents[0];
    return 2;
  }
  if (amount >= 3 && random.chance(profile.partialProbability)) {
    const first = part(random, amount);
    const pieces = random.chance(0.3) ? 3 : 2;
    plannedDays[0] = settle;
    plannedCents[0] = first;
    plannedDays[1] = settle + random.int(3, 20);
    plannedCents[1] = pieces === 3 ? part(random, amount - first) : amount - first;
    plannedDays[2] = plannedDays[1] + random.int(3, 20);
    plannedCents[2] = amount - first - plannedCents[1];
    return pieces;
  }
  plannedDays[0] = settle;
  plannedCents[0] = amount;
  return 1;
}

/**
 * Writes a loan's cuotas and its pagos up to `hoy` into `batch`. Payments are planned for the whole
 * life of the loan from the payment profile, kept in chronological order (nobody pays the next cuota
 * before finishing the previous one), and only those dated on or before hoy are written; each cuota's
 * estado, total_pagado, fecha_pago and dias_mora are then derived from them as the spec defines.
 */
export function simulateRepayment(
  random: SeededRandom,
  context: { batch: BatchWriter; ids: IdCounters; hoyDay: number },
  loan: Loan,
  client: DemoClient,
  profile: PaymentProfile,
): RepaymentOutcome {
  const { batch, ids, hoyDay } = context;
  const { terms, approvalDay } = loan;
  const count = terms.numeroCuotas;
  const defaultFrom = random.chance(profile.defaultProbability)
    ? 1 + Math.floor(count * Math.pow(random.next(), 1.5))
    : count + 1;
  let cursor = approvalDay + 1;
  let lastPaymentDay = approvalDay;
  let finished = true;
  let dueBeforeToday = 0;
  let late = 0;
  amortize(terms.principalCents, terms.rate, count, (number, amount, capital, interest, before, after) => {
    const due = dueDay(approvalDay, terms.modalidad, number);
    const cuotaId = ids.cuota++;
    let pieces = plan(random, profile, due, amount, number >= defaultFrom);
    if (number === defaultFrom && amount >= 2 && random.chance(0.35)) {
      // Some defaulters make one last partial payment before they stop.
      plannedDays[0] = due + random.int(-2, 20);
      plannedCents[0] = part(random, amount);
      pieces = 1;
    }
    let paid = 0;
    let paidOn = 0;
    for (let index = 0; index < pieces; index++) {
      const day = Math.max(plannedDays[index] as number, cursor);
      cursor = day;
      if (day > hoyDay) break;
      paid += plannedCents[index] as number;
      paidOn = day;
      writePago(random, batch, {
        id: ids.pago++,
        loan,
        cuotaId,
        day,
        cents: plannedCents[index] as number,
        client,
        hoyDay,
      });
    }
    if (pieces === 0 || paid < amount) cursor = Number.POSITIVE_INFINITY;
    let estado: string;
    let daysLate: number;
    if (paid === amount) {
      estado = 'PAGADO';
      daysLate = Math.max(0, paidOn - due);
      lastPaymentDay = paidOn;
    } else {
      finished = false;
      const overdue = due < hoyDay;
      estado = overdue ? (paid > 0 ? 'PARCIAL' : 'ATRASADO') : paid > 0 ? 'ADELANTADO' : 'PENDIENTE';
      daysLate = overdue ? hoyDay - due : 0;
    }
    if (due < hoyDay) {
      dueBeforeToday++;
      if (daysLate > 0) late++;
    }
    const out = batch.csv.cuotas;
    out.int(cuotaId).int(loan.id).int(number).date(due).money(amount).money(capital).money(interest);
    out
      .money(before)
      .money(after)
      .money(paid)
      .date(paid === amount ? paidOn : null)
      .int(daysLate)
      .raw(estado)
      .end();
    batch.rows.cuotas++;
  });
  return { finished, lastPaymentDay, lateShare: dueBeforeToday === 0 ? 0 : late / dueBeforeToday };
}

function writePago(
  random: SeededRandom,
  batch: BatchWriter,
  pago: { id: number; loan: Loan; cuotaId: number; day: number; cents: number; client: DemoClient; hoyDay: number },
): void {
  const { id, day, client } = pago;
  const method = random.chance(0.75) ? client.method : pickPaymentMethod(random);
  const out = batch.csv.pagos;
  out.int(id).int(pago.loan.id).int(pago.loan.clienteId).int(pago.cuotaId).date(day).money(pago.cents).raw(method);
  out.text(method === 'EFECTIVO' ? null : random.chance(0.8) ? client.bank : pickBank(random));
  if (method === 'EFECTIVO') out.raw('REC-').digits(id, 7);
  else if (method === 'DEPOSITO') out.int(random.int(100_000_000, 999_999_999));
  else out.int(random.int(100_000, 999_999)).digits(random.int(0, 999_999), 6);
  // Old payments have been matched with the bank statement; recent ones often not yet.
  const reconciled = pago.hoyDay - day > 7 ? random.chance(0.98) : random.chance(0.4);
  const registeredDay = day < pago.hoyDay && random.chance(0.1) ? day + 1 : day;
  const byCashDesk = method === 'EFECTIVO' || method === 'DEPOSITO' ? random.chance(0.8) : random.chance(0.15);
  out.bool(reconciled).timestamp(registeredDay, random.int(480, 1139));
  out.text(byCashDesk ? CASH_DESK_EMAIL : pago.loan.analystEmail).end();
  batch.rows.pagos++;
}
