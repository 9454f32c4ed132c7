import { installmentCents, type PaymentFrequency, PERIODS_PER_YEAR, periodicRate } from './amortization.ts';
import { CAR_DEALERS, MOTO_DEALERS } from './demo-catalog.ts';
import type { DemoClient } from './demo-client.ts';
import { type SeededRandom, weightedPicker } from './random.ts';

/** A loan product (prestamos.producto). */
export type Product = 'MOTO' | 'VEHICULO' | 'PERSONAL' | 'COMERCIAL';

/** The conditions of one loan request. */
export interface LoanTerms {
  producto: Product;
  modalidad: PaymentFrequency;
  numeroCuotas: number;
  termMonths: number;
  annualRatePercent: number;
  rate: number;
  principalCents: number;
  installmentCents: number;
  monthlyPaymentCents: number;
  concesionario: string | null;
}

interface ProductRule {
  rate: readonly [number, number];
  amount: readonly [number, number];
  frequency: (random: SeededRandom) => PaymentFrequency;
  months: readonly number[];
}

const RULES: Readonly<Record<Product, ProductRule>> = {
  MOTO: {
    rate: [30, 54],
    amount: [700, 4_500],
    frequency: weightedPicker<PaymentFrequency>([
      ['SEMANAL', 45],
      ['QUINCENAL', 35],
      ['MENSUAL', 20],
    ]),
    months: [6, 9, 12, 18, 24],
  },
  VEHICULO: {
    rate: [18, 34],
    amount: [4_000, 35_000],
    frequency: weightedPicker<PaymentFrequency>([
      ['MENSUAL', 75],
      ['QUINCENAL', 25],
    ]),
    months: [12, 18, 24, 36, 48],
  },
  PERSONAL: {
    rate: [36, 60],
    amount: [150, 3_000],
    frequency: weightedPicker<PaymentFrequency>([
      ['MENSUAL', 40],
      ['QUINCENAL', 40],
      ['SEMANAL', 20],
    ]),
    months: [3, 4, 6, 9, 12, 18],
  },
  COMERCIAL: {
    rate: [24, 48],
    amount: [1_500, 40_000],
    frequency: weightedPicker<PaymentFrequency>([
      ['MENSUAL', 65],
      ['QUINCENAL', 25],
      ['SEMANAL', 10],
    ]),
    months: [6, 9, 12, 18, 24, 36],
  },
};

const pickPersonProduct = weightedPicker<Product>([
  ['MOTO', 33],
  ['PERSONAL', 37],
  ['VEHICULO', 14],
  ['COMERCIAL', 16],
]);
const pickCompanyProduct = weightedPicker<Product>([
  ['COMERCIAL', 65],
  ['VEHICULO', 25],
  ['MOTO', 10],
]);

/**
 * Draws the conditions of a loan request. The amount starts from a payment-to-income target (how
 * an officer sizes a loan) and is then bounded by the product's range, so the real ratio spreads
 * widely: small incomes asking for a car end up with heavy ratios, which the risk function punishes.
 */
export function chooseLoanTerms(random: SeededRandom, client: DemoClient): LoanTerms {
  const producto = client.isCompany ? pickCompanyProduct(random) : pickPersonProduct(random);
  const rule = RULES[producto];
  const modalidad = rule.frequency(random);
  const termMonths = random.pick(rule.months);
  const periods = PERIODS_PER_YEAR[modalidad];
  const numeroCuotas = modalidad === 'MENSUAL' ? termMonths : Math.round((termMonths * periods) / 12);
  const annualRatePercent = random.int(rule.rate[0], rule.rate[1]) + (random.chance(0.3) ? 0.5 : 0);
  const rate = periodicRate(annualRatePercent, modalidad);
  const targetRatio = Math.min(0.9, Math.max(0.04, Math.exp(random.normal(Math.log(0.2), 0.55))));
  const periodicPayment = (targetRatio * client.incomeCents * 12) / periods / 100;
  const affordable = (periodicPayment * (1 - Math.pow(1 + rate, -numeroCuotas))) / rate;
  const bounded = Math.min(rule.amount[1], Math.max(rule.amount[0], affordable));
  const step = bounded >= 5_000 ? 100 : 50;
  const principalCents = Math.max(step, Math.round(bounded / step) * step) * 100;
  const installment = installmentCents(principalCents, rate, numeroCuotas);
  return {
    producto,
    modalidad,
    numeroCuotas,
    termMonths,
    annualRatePercent,
    rate,
    principalCents,
    installmentCents: installment,
    monthlyPaymentCents: Math.round((installment * periods) / 12),
    concesionario:
      producto === 'MOTO' ? random.pick(MOTO_DEALERS) : producto === 'VEHICULO' ? random.pick(CAR_DEALERS) : null,
  };
}
