import { z } from '@hono/zod-openapi';
import { date, timestamp } from './schemas.ts';

const money = z.number();

/** One cuota of a loan. */
export const installmentSchema = z
  .object({
    id: z.number().int(),
    numero_cuota: z.number().int(),
    fecha_vencimiento: date,
    monto_cuota: money,
    monto_capital: money,
    monto_interes: money,
    saldo_capital_inicial: money,
    saldo_capital_final: money,
    total_pagado: money,
    fecha_pago: date.nullable(),
    dias_mora: z.number().int(),
    estado: z.enum(['PENDIENTE', 'PAGADO', 'PARCIAL', 'ATRASADO', 'ADELANTADO']),
  })
  .openapi('Cuota');

/** A loan with its cuotas (by numero_cuota) and its saldo pendiente. */
export const loanSchema = z
  .object({
    id: z.number().int(),
    cliente_id: z.number().int(),
    cliente_cedula: z.string(),
    cliente_nombres: z.string(),
    producto: z.string(),
    total_financiamiento: money,
    tasa_interes: z.number(),
    modalidad_pago: z.string(),
    numero_cuotas: z.number().int(),
    cuota_periodo: money,
    fecha_requerimiento: date,
    fecha_aprobacion: date.nullable(),
    estado: z.string(),
    analista: z.string().nullable(),
    concesionario: z.string().nullable(),
    fecha_registro: timestamp,
    observaciones: z.string().nullable(),
    saldo_pendiente: money.openapi({ description: 'Suma de monto_cuota - total_pagado de las cuotas no PAGADO.' }),
    cuotas: z.array(installmentSchema),
  })
  .openapi('Prestamo');

const clientLoanSchema = z
  .object({
    id: z.number().int(),
    producto: z.string(),
    estado: z.string(),
    total_financiamiento: money,
    numero_cuotas: z.number().int(),
    cuota_periodo: money,
    fecha_requerimiento: date,
    fecha_aprobacion: date.nullable(),
    saldo_pendiente: money,
    cuotas_vencidas: z.number().int(),
  })
  .openapi('ResumenPrestamo');

/** A client with a summary of each of its loans. */
export const clientSchema = z
  .object({
    id: z.number().int(),
    cedula: z.string(),
    nombres: z.string(),
    telefono: z.string().nullable(),
    email: z.string().nullable(),
    direccion: z.string().nullable(),
    fecha_nacimiento: date.nullable(),
    ocupacion: z.string().nullable(),
    ingreso_mensual: money.nullable(),
    estado: z.string(),
    fecha_registro: timestamp,
    notas: z.string().nullable(),
    prestamos: z.array(clientLoanSchema),
  })
  .openapi('Cliente');
