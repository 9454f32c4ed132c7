import { yearsBetween } from './calendar.ts';
import {
  type Analyst,
  CLIENT_NOTES,
  COMPANY_KINDS,
  COMPANY_NAMES,
  COMPANY_OCCUPATION,
  COMPANY_SUFFIXES,
  pickBank,
  occupationName,
  pickOccupation,
} from './demo-catalog.ts';
import { asciiLower, FEMALE_NAMES, MALE_NAMES, SURNAMES } from './demo-names.ts';
import { demoAddress } from './demo-places.ts';
import { type SeededRandom, weightedPicker } from './random.ts';

/** How a client usually pays. */
export type PaymentMethod = 'TRANSFERENCIA' | 'EFECTIVO' | 'PAGO_MOVIL' | 'DEPOSITO';

/** A generated client: the clientes row plus the traits that drive its loans and payments. */
export interface DemoClient {
  cedula: string;
  nombres: string;
  telefono: string | null;
  email: string | null;
  direccion: string;
  birthDay: number | null;
  /** Age at registration; null for companies. */
  age: number | null;
  ocupacion: string;
  incomeCents: number;
  isCompany: boolean;
  registeredDay: number;
  notas: string | null;
  bank: string;
  method: PaymentMethod;
  analyst: Analyst;
  /** Hidden payment discipline (standard normal; higher pays worse); never stored. */
  trait: number;
}

const pickMobilePrefix = weightedPicker([
  ['0414', 34],
  ['0424', 30],
  ['0412', 20],
  ['0416', 10],
  ['0426', 6],
] as const);
const pickDomain = weightedPicker([
  ['gmail.com', 60],
  ['hotmail.com', 20],
  ['yahoo.com', 9],
  ['outlook.com', 11],
] as const);
/** A payment method, weighted by how clients pay. */
export const pickPaymentMethod = weightedPicker<PaymentMethod>([
  ['PAGO_MOVIL', 35],
  ['TRANSFERENCIA', 33],
  ['EFECTIVO', 17],
  ['DEPOSITO', 15],
]);

/**
 * Venezuelan cédula numbers grow with the birth year: about 3 million for people born in 1955, then
 * some 500,000 a year; older people hold small (down to six-digit) numbers. Noise in the year keeps
 * neighbours apart without breaking that order.
 */
function cedulaNumber(random: SeededRandom, birthYear: number): number {
  const year = birthYear + random.normal(0, 1.5);
  const estimate = year >= 1955 ? 3_000_000 + 500_000 * (year - 1955) : 3_000_000 * Math.exp((year - 1955) / 12);
  return Math.min(33_999_999, Math.max(100_000, Math.round(estimate) + random.int(0, 99_999)));
}

function uniqueCedula(used: Set<string>, make: () => string): string {
  for (;;) {
    const cedula = make();
    if (!used.has(cedula)) {
      used.add(cedula);
      return cedula;
    }
  }
}

function personEmail(random: SeededRandom, first: string, surname: string, birthYear: number): string {
  const name = asciiLower(first);
  const last = asciiLower(surname);
  const year = String(birthYear % 100).padStart(2, '0');
  const local = random.pick([
    `${name}.${last}${year}`,
    `${name}.${last}${random.int(1, 99)}`,
    `${name}${last}`,
    `${name.charAt(0)}${last}${random.int(1, 999)}`,
    `${name}_${last}`,
  ]);
  return `${local}@${pickDomain(random)}`;
}

const sevenDigits = (random: SeededRandom) => String(random.int(1_000_000, 9_999_999));

/** One demo client registered on `registeredDay`; cédulas are kept unique through `usedCedulas`. */
export function buildDemoClient(
  random: SeededRandom,
  context: { registeredDay: number; usedCedulas: Set<string>; analyst: Analyst },
): DemoClient {
  const { address, areaCode } = demoAddress(random);
  const isCompany = random.chance(0.04);
  const base = {
    direccion: address,
    registeredDay: context.registeredDay,
    notas: random.chance(0.08) ? random.pick(CLIENT_NOTES) : null,
    bank: pickBank(random),
    method: pickPaymentMethod(random),
    analyst: context.analyst,
    trait: random.normal(),
    isCompany,
  };
  if (isCompany) {
    const tradeName = random.pick(COMPANY_NAMES);
    const kind = random.pick(COMPANY_KINDS);
    return {
      ...base,
      // A RIF: J and nine digits, a few recent ones with ten.
      cedula: uniqueCedula(context.usedCedulas, () =>
        random.chance(0.85)
          ? `J${random.int(100_000_000, 499_999_999)}`
          : `J${random.int(1_000_000_000, 5_099_999_999)}`,
      ),
      nombres: `${kind} ${tradeName}${random.pick(COMPANY_SUFFIXES)}`,
      telefono: random.chance(0.6)
        ? `${areaCode}-${sevenDigits(random)}`
        : `${pickMobilePrefix(random)}-${sevenDigits(random)}`,
      email: random.chance(0.9) ? `administracion@${asciiLower(kind + tradeName)}.com` : null,
      birthDay: null,
      age: null,
      ocupacion: COMPANY_OCCUPATION,
      incomeCents:
        Math.min(150_000, Math.max(1_500, Math.round(Math.exp(random.normal(Math.log(12_000), 0.7)) / 100) * 100)) *
        100,
      isCompany,
    };
  }
  const occupation = pickOccupation(random);
  const narrow = occupation.maxAge - occupation.minAge < 30;
  const age = narrow
    ? random.int(occupation.minAge, occupation.maxAge)
    : Math.min(occupation.maxAge, Math.max(Math.max(19, occupation.minAge), Math.round(random.normal(38, 11))));
  const birthDay = context.registeredDay - Math.round(age * 365.25) - random.int(0, 360);
  const birthYear = new Date(birthDay * 86_400_000).getUTCFullYear();
  const female = random.chance(0.5);
  const names = female ? FEMALE_NAMES : MALE_NAMES;
  const first = random.pick(names);
  const second = random.chance(0.6) ? random.pick(names) : first;
  const surname = random.pick(SURNAMES);
  const secondSurname = random.chance(0.92) ? ` ${random.pick(SURNAMES)}` : '';
  const foreign = random.chance(0.07);
  const phone = random.next();
  return {
    ...base,
    cedula: uniqueCedula(context.usedCedulas, () =>
      foreign
        ? `E${random.chance(0.5) ? random.int(100_000, 1_999_999) : random.int(80_000_000, 84_999_999)}`
        : `V${cedulaNumber(random, birthYear)}`,
    ),
    nombres: `${first}${second === first ? '' : ` ${second}`} ${surname}${secondSurname}`,
    telefono:
      phone < 0.91
        ? `${pickMobilePrefix(random)}-${sevenDigits(random)}`
        : phone < 0.97
          ? `${areaCode}-${sevenDigits(random)}`
          : null,
    email: random.chance(0.82) ? personEmail(random, first, surname, birthYear) : null,
    birthDay,
    age: yearsBetween(birthDay, context.registeredDay),
    ocupacion: occupationName(occupation, female),
    incomeCents: Math.max(80, Math.round((occupation.medianIncome * Math.exp(random.normal(0, 0.45))) / 10) * 10) * 100,
  };
}
