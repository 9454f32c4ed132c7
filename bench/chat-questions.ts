import { readFile } from 'node:fs/promises';
import type { Queryable } from '../src/db/database.ts';
import { translateQuestion } from '../src/modules/sql-assistant/index.ts';

/** One question to time, with its family (the dev set's families). */
export interface BenchQuestion {
  id: string;
  familia: string;
  pregunta: string;
}

const EVAL_DIR = new URL('../../shared/eval/', import.meta.url);

/** The evaluation book (300 clients) that the dev questions are about. */
export const EVALUATION_BOOK = new URL('libro-evaluacion.sql', EVAL_DIR);

/** The question-to-SQL dev set: 40 questions on the evaluation book. */
export async function readDevQuestions(): Promise<BenchQuestion[]> {
  const text = await readFile(new URL('nl2sql-dev.jsonl', EVAL_DIR), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const item = JSON.parse(line) as { id: string; familia: string; pregunta: string };
      return { id: item.id, familia: item.familia, pregunta: item.pregunta };
    });
}

/**
 * Questions that make sense on any book (the dev set's wording, without its entities): counts,
 * sums, averages, ratios, periods, group-bys, top-N, joins, mora buckets and combined filters.
 */
const GENERIC: readonly Omit<BenchQuestion, 'id'>[] = [
  { familia: 'count', pregunta: '¿Cuántos préstamos activos hay?' },
  { familia: 'count', pregunta: 'cuantos clientes morsos tenemos' },
  { familia: 'count', pregunta: '¿Cuántas solicitudes de financiamiento están en revisión?' },
  { familia: 'count', pregunta: '¿Cuántos clientes extranjeros (cédula E) tenemos registrados?' },
  { familia: 'sum', pregunta: '¿Cuál es el saldo pendiente total de la cartera activa?' },
  { familia: 'sum', pregunta: '¿Cuánto dinero hemos desembolsado en créditos de vehículo?' },
  { familia: 'sum', pregunta: '¿Cuál es el monto total en mora de la cartera?' },
  { familia: 'sum', pregunta: '¿Cuánto se ha recibido en total por pago móvil?' },
  { familia: 'avg', pregunta: 'Indíqueme el monto promedio de los préstamos personales activos, por favor.' },
  { familia: 'avg', pregunta: 'En promedio, ¿cuántos días de atraso tienen las cuotas vencidas?' },
  { familia: 'ratio', pregunta: '¿Cuál es la tasa de morosidad actual?' },
  { familia: 'ratio', pregunta: '¿Qué porcentaje de los préstamos activos está en mora?' },
  { familia: 'ratio', pregunta: '¿Qué porcentaje de lo recaudado se ha cobrado en efectivo?' },
  { familia: 'filter-date', pregunta: '¿Cuánto se ha cobrado este mes?' },
  { familia: 'filter-date', pregunta: '¿Cuántas cuotas tienen fecha de vencimiento esta semana?' },
  { familia: 'filter-date', pregunta: '¿Cuántos préstamos se aprobaron el mes pasado?' },
  { familia: 'groupby', pregunta: 'Cantidad de préstamos por estado' },
  { familia: 'groupby', pregunta: '¿Cuánto se ha cobrado este año por cada método de pago?' },
  { familia: 'groupby', pregunta: 'numero de prestamos activos x analista' },
  { familia: 'groupby', pregunta: '¿Cuánto se cobró cada mes del año pasado?' },
  { familia: 'topn', pregunta: 'Los 10 clientes con mayor saldo en mora' },
  { familia: 'topn', pregunta: 'Muéstrame los 5 préstamos activos de mayor monto' },
  { familia: 'topn', pregunta: 'top 3 analistas por monto cobrado este año' },
  { familia: 'topn', pregunta: '¿Cuáles son los 5 clientes que más nos han pagado?' },
  { familia: 'join', pregunta: 'Pagos recibidos hoy con el nombre del cliente y el monto' },
  { familia: 'join', pregunta: '¿Qué clientes con préstamo personal tienen cuotas vencidas con pago parcial?' },
  {
    familia: 'bucket',
    pregunta: '¿Cuántas cuotas vencidas hay y cuánto suman por tramo de mora (1-30, 31-60, 61-90, más de 90 días)?',
  },
  {
    familia: 'bucket',
    pregunta: 'Préstamos en mora agrupados por días de atraso de su cuota más vieja: 1-30, 31-60, 61-90, más de 90',
  },
  {
    familia: 'multi',
    pregunta:
      '¿Cuántos préstamos personales activos de más de 3000 tienen al menos una cuota vencida, y cuánto deben en mora?',
  },
  {
    familia: 'multi',
    pregunta: 'Clientes con ingreso mensual menor a 400 que tengan un préstamo activo de más de 5000',
  },
];

const nameQuestion = (name: string) => `dame el telefono y el correo de ${name}`;

/** Lowercase, without accents: how staff type a name ("oscar escalona"). */
const plain = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

async function one<Row>(db: Queryable, sql: string, what: string): Promise<Row> {
  const { rows } = await db.query<Row>(sql);
  const row = rows[0];
  if (!row) throw new Error(`chat bench: the seeded book has no ${what}`);
  return row;
}

/**
 * Questions for a seeded demo book: the generic ones, plus lookups and a join on real entities of
 * that book (a client in mora, an approved loan, a client with a unique name and an upcoming
 * installment, a company, a motorcycle dealer), picked deterministically from the data.
 */
export async function demoQuestions(db: Queryable): Promise<{ preguntas: BenchQuestion[]; entidades: object }> {
  const moroso = await one<{ cedula: string }>(
    db,
    `SELECT c.cedula FROM clientes c JOIN prestamos p ON p.cliente_id = c.id
       JOIN cuotas cu ON cu.prestamo_id = p.id AND cu.estado IN ('ATRASADO', 'PARCIAL')
      ORDER BY c.id LIMIT 1`,
    'client in mora',
  );
  const payer = await one<{ cedula: string }>(
    db,
    `SELECT c.cedula FROM clientes c WHERE EXISTS (SELECT 1 FROM pagos pg WHERE pg.cliente_id = c.id)
      ORDER BY c.id DESC LIMIT 1`,
    'client with payments',
  );
  const loan = await one<{ id: number }>(
    db,
    `SELECT id FROM prestamos WHERE estado = 'APROBADO' ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM prestamos WHERE estado = 'APROBADO')`,
    'approved loan',
  );
  // A client whose name finds exactly one client (the engine matches every word of the name) and
  // who has an installment still to come.
  const candidates = await db.query<{ nombres: string }>(
    `SELECT c.nombres FROM clientes c
      WHERE c.cedula LIKE 'V%'
        AND EXISTS (SELECT 1 FROM prestamos p JOIN cuotas cu ON cu.prestamo_id = p.id
                     WHERE p.cliente_id = c.id AND p.estado = 'APROBADO' AND cu.estado = 'PENDIENTE')
      ORDER BY c.id LIMIT 30`,
  );
  let named: { nombres: string } | undefined;
  for (const candidate of candidates.rows) {
    const { parsed, query } = await translateQuestion({ db, question: nameQuestion(plain(candidate.nombres)) });
    if (query && !parsed.problem) {
      named = candidate;
      break;
    }
  }
  if (!named) throw new Error('chat bench: no client of the seeded book has a name that finds only them');
  const company = await one<{ cedula: string }>(
    db,
    `SELECT c.cedula FROM clientes c WHERE c.cedula LIKE 'J%' AND EXISTS (SELECT 1 FROM prestamos p WHERE p.cliente_id = c.id)
      ORDER BY c.id LIMIT 1`,
    'company with loans',
  );
  const dealer = await one<{ concesionario: string }>(
    db,
    `SELECT concesionario FROM prestamos WHERE producto = 'MOTO' AND estado = 'APROBADO' AND concesionario IS NOT NULL
      GROUP BY concesionario ORDER BY count(*) DESC, concesionario LIMIT 1`,
    'motorcycle dealer',
  );
  const name = plain(named.nombres);
  const lookups: Omit<BenchQuestion, 'id'>[] = [
    { familia: 'lookup', pregunta: `¿Cuántas cuotas vencidas tiene el cliente ${moroso.cedula}?` },
    { familia: 'lookup', pregunta: `¿Cuál es el saldo pendiente del préstamo ${loan.id}?` },
    { familia: 'lookup', pregunta: nameQuestion(name) },
    { familia: 'lookup', pregunta: `¿Cuándo fue el último pago de la cédula ${payer.cedula} y de cuánto fue?` },
    { familia: 'lookup', pregunta: `¿En qué estado está la solicitud de crédito número ${loan.id}?` },
    { familia: 'lookup', pregunta: `¿Cuándo le vence la próxima cuota a ${name} y de cuánto es?` },
    {
      familia: 'lookup',
      pregunta: `Lista los préstamos de la empresa ${company.cedula} con su producto, monto y estado`,
    },
    {
      familia: 'join',
      pregunta: `Lista de clientes con préstamo de moto activo financiado en ${dealer.concesionario}`,
    },
  ];
  const preguntas = [...lookups, ...GENERIC].map((question, index) => ({
    id: `g${String(index + 1).padStart(3, '0')}`,
    ...question,
  }));
  return {
    preguntas,
    entidades: {
      cedula_morosa: moroso.cedula,
      cedula_con_pagos: payer.cedula,
      prestamo: loan.id,
      nombre: named.nombres,
      empresa: company.cedula,
      concesionario: dealer.concesionario,
    },
  };
}
