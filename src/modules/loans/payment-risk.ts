import type { SeededRandom } from './random.ts';

/** What the hidden risk function sees about a client and a loan at approval time. */
export interface RiskInputs {
  incomeCents: number;
  /** The installment converted to a monthly amount, in cents. */
  monthlyPaymentCents: number;
  /** Age at the request; null for companies. */
  age: number | null;
  producto: 'MOTO' | 'VEHICULO' | 'PERSONAL' | 'COMERCIAL';
  termMonths: number;
  annualRatePercent: number;
  /** The client's earlier loans with this company. */
  history: { loans: number; lateShare: number };
  /** The client's latent discipline trait (standard normal). */
  trait: number;
}

/** How a loan will be repaid: drawn once per loan by the hidden risk function. */
export interface PaymentProfile {
  /** Probability that the client stops paying at some installment. */
  defaultProbability: number;
  /** Probability that one installment is paid after its due date. */
  lateProbability: number;
  /** Mean days late when an installment is late. */
  meanDaysLate: number;
  /** Probability that an installment is paid in two or three parts. */
  partialProbability: number;
  /** Probability that part of an installment is paid ahead of its due date. */
  earlyPartialProbability: number;
}

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

const PRODUCT_RISK = { MOTO: 0.35, PERSONAL: 0.25, COMERCIAL: 0.05, VEHICULO: -0.35 } as const;

/**
 * THE HIDDEN RISK FUNCTION of the demo book. It is never stored; the risk models must rediscover it
 * from the data, so it is written to have real, learnable signal plus noise:
 *
 *   score = −3.7
 *         + 4.5 · (payment-to-income − 0.25)      payment-to-income = monthly installment / ingreso_mensual
 *         − 0.45 · ln(ingreso_mensual / 600)      richer clients absorb shocks
 *         + age effect                            < 25: +0.45, < 30: +0.25, ≥ 55: −0.25 (companies: 0)
 *         + product effect                        MOTO +0.35, PERSONAL +0.25, COMERCIAL +0.05, VEHICULO −0.35
 *         + 0.012 · (term in months − 12)         longer loans meet more shocks
 *         + 0.025 · (annual rate % − 36)          expensive credit selects riskier borrowers
 *         + 1.6 · (share of late installments in earlier loans) − 0.3 · min(earlier loans, 3)
 *         + 0.9 · trait                           the client's latent discipline (per client)
 *         + N(0, 0.35)                            per-loan noise
 *
 *   P(default during the loan)  = sigmoid(score)
 *   lateness tendency t         = sigmoid(score + 1.3 + N(0, 0.3))
 *   P(installment paid late)    = 0.02 + 0.4 · t,  mean days late = 2 + 24 · t
 *   P(installment paid in parts)= 0.02 + 0.15 · t; P(part paid early) = 0.1 + 0.1 · (1 − t)
 *
 * A defaulting loan stops being paid from installment 1 + ⌊n·u^1.5⌋ onward (early defaults are likelier),
 * sometimes after one last partial payment. Defaulters get no further loans; good payers often come back.
 */
export function paymentProfile(inputs: RiskInputs, random: SeededRandom): PaymentProfile {
  const income = Math.max(inputs.incomeCents, 1) / 100;
  const paymentToIncome = inputs.monthlyPaymentCents / Math.max(inputs.incomeCents, 1);
  const age = inputs.age;
  const ageEffect = age === null ? 0 : age < 25 ? 0.45 : age < 30 ? 0.25 : age >= 55 ? -0.25 : 0;
  const score =
    -3.7 +
    4.5 * (paymentToIncome - 0.25) -
    0.45 * Math.log(income / 600) +
    ageEffect +
    PRODUCT_RISK[inputs.producto] +
    0.012 * (inputs.termMonths - 12) +
    0.025 * (inputs.annualRatePercent - 36) +
    1.6 * inputs.history.lateShare -
    0.3 * Math.min(inputs.history.loans, 3) +
    0.9 * inputs.trait +
    random.normal(0, 0.35);
  const tendency = sigmoid(score + 1.3 + random.normal(0, 0.3));
  return {
    defaultProbability: sigmoid(score),
    lateProbability: 0.02 + 0.4 * tendency,
    meanDaysLate: 2 + 24 * tendency,
    partialProbability: 0.02 + 0.15 * tendency,
    earlyPartialProbability: 0.1 + 0.1 * (1 - tendency),
  };
}
