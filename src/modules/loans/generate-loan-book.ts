import { toDay } from './calendar.ts';
import { type Analyst, ANALYSTS } from './demo-catalog.ts';
import { buildDemoClient, type DemoClient } from './demo-client.ts';
import { type BatchWriter, batchWriter, type LoanBookBatch, takeBatch } from './loan-book-csv.ts';
import { chooseLoanTerms, type LoanTerms } from './loan-terms.ts';
import { paymentProfile } from './payment-risk.ts';
import { SeededRandom, weightedPicker } from './random.ts';
import { type IdCounters, simulateRepayment } from './simulate-repayment.ts';

/** What the demo book is generated from; the same options always give the same rows. */
export interface GenerateLoanBookOptions {
  clientes: number;
  semilla: string;
  /** The date the book is "as of" (YYYY-MM-DD): no payment after it, states computed at it. */
  hoy: string;
  /** Clients per batch; bounds memory (a batch holds their loans, cuotas and pagos). */
  clientesPorLote?: number;
}

const DEFAULT_BATCH_CLIENTS = 2_000;
const HISTORY_DAYS = 3 * 365;

const REJECTION_REASONS = [
  'Relación cuota/ingreso superior a la política de crédito.',
  'Referencias comerciales insuficientes.',
  'Documentación incompleta, no subsanada.',
  'Ingresos no demostrables.',
];
const DRAFT_NOTES = ['Faltan recaudos: constancia de trabajo.', 'Pendiente copia de la cédula y RIF.', null];

interface ClientContext {
  random: SeededRandom;
  batch: BatchWriter;
  ids: IdCounters;
  hoyDay: number;
  pickAnalyst: (random: SeededRandom) => Analyst;
}

type LoanState = 'DRAFT' | 'EN_REVISION' | 'APROBADO' | 'RECHAZADO' | 'FINALIZADO';

function writeLoan(
  context: ClientContext,
  row: { id: number; clienteId: number; terms: LoanTerms; requestDay: number; approvalDay: number | null },
  estado: LoanState,
  analyst: Analyst,
  observaciones: string | null,
): void {
  const { terms } = row;
  const out = context.batch.csv.prestamos;
  out.int(row.id).int(row.clienteId).raw(terms.producto).money(terms.principalCents);
  out.raw(String(terms.annualRatePercent)).raw(terms.modalidad).int(terms.numeroCuotas).money(terms.installmentCents);
  out.date(row.requestDay).date(row.approvalDay).raw(estado).text(analyst.name).text(terms.concesionario);
  out.timestamp(row.requestDay, context.random.int(480, 1139)).text(observaciones).end();
  context.batch.rows.prestamos++;
}

/**
 * One client's loan history: requests follow one another over time (a new one after the previous
 * loan is repaid), each either pending, rejected or approved and simulated up to hoy. Returns the
 * client's estado as the spec defines it.
 */
function generateClientLoans(context: ClientContext, client: DemoClient, clienteId: number): string {
  const { random, hoyDay } = context;
  const history = { loans: 0, lateShare: 0 };
  let requestDay = Math.min(hoyDay, client.registeredDay + random.int(0, 10));
  let allFinished = true;
  for (let attempt = 0; attempt < 12; attempt++) {
    const terms = chooseLoanTerms(random, client);
    const analyst = random.chance(0.85) ? client.analyst : context.pickAnalyst(random);
    const row = { id: context.ids.prestamo++, clienteId, terms, requestDay, approvalDay: null as number | null };
    const approvalDay = requestDay + random.int(1, 6);
    if ((hoyDay - requestDay <= 30 && random.chance(0.6)) || approvalDay > hoyDay) {
      const draft = random.chance(0.45);
      writeLoan(context, row, draft ? 'DRAFT' : 'EN_REVISION', analyst, draft ? random.pick(DRAFT_NOTES) : null);
      return 'ACTIVO';
    }
    const ratio = terms.monthlyPaymentCents / client.incomeCents;
    if (random.chance(0.02 + 1.2 * Math.max(0, ratio - 0.4) + (history.loans === 0 ? 0.02 : 0))) {
      writeLoan(context, row, 'RECHAZADO', analyst, random.pick(REJECTION_REASONS));
      allFinished = false;
      requestDay += random.int(15, 90);
      if (requestDay <= hoyDay && random.chance(0.4)) continue;
      break;
    }
    row.approvalDay = approvalDay;
    const age = client.age === null ? null : client.age + Math.floor((requestDay - client.registeredDay) / 365.25);
    const profile = paymentProfile(
      { ...terms, incomeCents: client.incomeCents, age, history, trait: client.trait },
      random,
    );
    const outcome = simulateRepayment(
      random,
      context,
      { id: row.id, clienteId, approvalDay, terms, analystEmail: analyst.email },
      client,
      profile,
    );
    const recurring = history.loans > 0 && random.chance(0.3);
    writeLoan(
      context,
      row,
      outcome.finished ? 'FINALIZADO' : 'APROBADO',
      analyst,
      recurring ? 'Cliente recurrente.' : null,
    );
    history.lateShare = (history.lateShare * history.loans + outcome.lateShare) / (history.loans + 1);
    history.loans++;
    if (!outcome.finished) return 'ACTIVO';
    requestDay = outcome.lastPaymentDay + random.int(3, 120);
    if (requestDay > hoyDay || !random.chance(0.6 - 0.4 * outcome.lateShare)) break;
  }
  return allFinished ? 'FINALIZADO' : 'INACTIVO';
}

function writeClient(context: ClientContext, id: number, client: DemoClient, estado: string): void {
  const out = context.batch.csv.clientes;
  out.int(id).raw(client.cedula).text(client.nombres).text(client.telefono).text(client.email).text(client.direccion);
  out.date(client.birthDay).text(client.ocupacion).money(client.incomeCents).raw(estado);
  out.timestamp(client.registeredDay, context.random.int(480, 1139)).text(client.notas).end();
  context.batch.rows.clientes++;
}

/**
 * The deterministic demo loan book, as COPY-ready CSV batches of `clientesPorLote` clients with
 * their loans, cuotas and pagos (ids from 1). The stream depends only on the seed, so a book of
 * 1,000 clients starts with the same clients as a book of 500; `hoy` fixes what has happened yet.
 */
export function* generateLoanBook(options: GenerateLoanBookOptions): Generator<LoanBookBatch, void, undefined> {
  const random = new SeededRandom(options.semilla);
  const hoyDay = toDay(options.hoy);
  const perBatch = options.clientesPorLote ?? DEFAULT_BATCH_CLIENTS;
  const staff = random.shuffle(ANALYSTS).slice(0, random.int(5, 8));
  // Officers carry unequal portfolios, as in any branch.
  const pickAnalyst = weightedPicker(staff.map((analyst) => [analyst, random.between(0.6, 1.6)] as const));
  const ids: IdCounters = { cliente: 1, prestamo: 1, cuota: 1, pago: 1 };
  const usedCedulas = new Set<string>();
  const context: ClientContext = { random, batch: batchWriter(), ids, hoyDay, pickAnalyst };
  for (let index = 0; index < options.clientes; index++) {
    // More clients joined recently than three years ago: the book has been growing.
    const registeredDay = hoyDay - Math.floor(HISTORY_DAYS * Math.pow(random.next(), 1.25));
    const client = buildDemoClient(random, { registeredDay, usedCedulas, analyst: pickAnalyst(random) });
    const id = ids.cliente++;
    const estado = generateClientLoans(context, client, id);
    writeClient(context, id, client, estado);
    if (context.batch.rows.clientes >= perBatch) yield takeBatch(context.batch);
  }
  if (context.batch.rows.clientes > 0) yield takeBatch(context.batch);
}
