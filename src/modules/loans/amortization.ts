import { addMonths, isoDate, toDay } from './calendar.ts';

/** How often a loan is repaid. */
export type PaymentFrequency = 'MENSUAL' | 'QUINCENAL' | 'SEMANAL';

/** Installments per year for each modalidad_pago. */
export const PERIODS_PER_YEAR: Readonly<Record<PaymentFrequency, number>> = {
  MENSUAL: 12,
  QUINCENAL: 24,
  SEMANAL: 52,
};

/** The periodic rate of an annual nominal percentage (36 % monthly → 0.03). */
export function periodicRate(annualRatePercent: number, frequency: PaymentFrequency): number {
  return annualRatePercent / 100 / PERIODS_PER_YEAR[frequency];
}

/** The French installment in cents: P·r / (1 − (1 + r)^−n), or P / n without interest. */
export function installmentCents(principalCents: number, rate: number, count: number): number {
  if (rate === 0) return Math.round(principalCents / count);
  return Math.round((principalCents * rate) / (1 - Math.pow(1 + rate, -count)));
}

/** Day number of installment `number`'s due date, counted from the approval day. */
export function dueDay(approvalDay: number, frequency: PaymentFrequency, number: number): number {
  if (frequency === 'MENSUAL') return addMonths(approvalDay, number);
  return approvalDay + (frequency === 'QUINCENAL' ? 15 : 7) * number;
}

/** Receives one installment of a schedule, amounts in cents. */
export type InstallmentVisitor = (
  number: number,
  amount: number,
  capital: number,
  interest: number,
  balanceBefore: number,
  balanceAfter: number,
) => void;

/**
 * Walks a French schedule in integer cents (no object per installment: the generator runs this for
 * millions of cuotas). Interest is rounded each period and the last installment absorbs the rounding,
 * so capital adds up exactly to the principal. Returns the regular installment.
 */
export function amortize(principalCents: number, rate: number, count: number, visit: InstallmentVisitor): number {
  const installment = installmentCents(principalCents, rate, count);
  let balance = principalCents;
  for (let number = 1; number <= count; number++) {
    const interest = Math.round(balance * rate);
    const capital = number === count ? balance : Math.min(balance, installment - interest);
    visit(number, capital + interest, capital, interest, balance, balance - capital);
    balance -= capital;
  }
  return installment;
}

/** One row of a repayment schedule, amounts in currency units. */
export interface ScheduledInstallment {
  numero_cuota: number;
  fecha_vencimiento: string;
  monto_cuota: number;
  monto_capital: number;
  monto_interes: number;
  saldo_capital_inicial: number;
  saldo_capital_final: number;
}

/** A French repayment schedule and its regular installment (prestamos.cuota_periodo). */
export interface FrenchSchedule {
  cuota_periodo: number;
  cuotas: ScheduledInstallment[];
}

/** The French schedule of a loan approved on `fechaAprobacion` (YYYY-MM-DD). */
export function frenchSchedule(options: {
  principal: number;
  tasaAnual: number;
  modalidad: PaymentFrequency;
  numeroCuotas: number;
  fechaAprobacion: string;
}): FrenchSchedule {
  const approvalDay = toDay(options.fechaAprobacion);
  const rate = periodicRate(options.tasaAnual, options.modalidad);
  const cuotas: ScheduledInstallment[] = [];
  const installment = amortize(
    Math.round(options.principal * 100),
    rate,
    options.numeroCuotas,
    (number, amount, capital, interest, before, after) => {
      cuotas.push({
        numero_cuota: number,
        fecha_vencimiento: isoDate(dueDay(approvalDay, options.modalidad, number)),
        monto_cuota: amount / 100,
        monto_capital: capital / 100,
        monto_interes: interest / 100,
        saldo_capital_inicial: before / 100,
        saldo_capital_final: after / 100,
      });
    },
  );
  return { cuota_periodo: installment / 100, cuotas };
}
