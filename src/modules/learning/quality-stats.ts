import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

export type StatsGrain = 'dia' | 'semana' | 'mes';

/** The period and grouping of the quality figures. */
export interface StatsFilter {
  /** First and last day (YYYY-MM-DD, inclusive); by default the last 90 days up to today. */
  desde?: string;
  hasta?: string;
  agrupar?: StatsGrain;
  /** How many failing questions to list. */
  top?: number;
}

/** The quality dashboard's data: how answers are rated and what was done about the bad ones. */
export interface QualityStats {
  periodo: { desde: string; hasta: string; agrupar: StatsGrain };
  conversaciones: number;
  distribucion_estrellas: { estrellas: number; total: number }[];
  sin_estrellas: number;
  promedio_estrellas: number | null;
  pulgares: { arriba: number; abajo: number };
  /** Share of positive ratings per period (thumbs up over all thumbs). */
  evolucion: { periodo: string; positivas: number; negativas: number; porcentaje_positivo: number | null }[];
  /** The questions rated down most often (same wording ignoring case, accents and punctuation). */
  preguntas_fallidas: { pregunta: string; veces: number; pendientes: number; ultima: Date }[];
  mejoras: {
    negativas: number;
    pendientes: number;
    procesadas: number;
    mejoradas: number;
    /** Improved over processed, in percent. */
    tasa_mejora: number | null;
    cambios: { entidad: string; accion: string; total: number }[];
    ejemplos_verificados: number;
  };
}

const GRAIN_SQL: Record<StatsGrain, string> = { dia: 'day', semana: 'week', mes: 'month' };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((1000 * part) / whole) / 10;

/** Rating figures for the dashboard (`GET /api/v1/ai/calificaciones/estadisticas`, `calificaciones stats`). */
export async function qualityStats(db: Queryable, filter: StatsFilter = {}): Promise<QualityStats> {
  for (const value of [filter.desde, filter.hasta]) {
    if (value !== undefined && !ISO_DATE.test(value)) {
      throw new AppError('INVALID_INPUT', `La fecha «${value}» no es válida; use el formato AAAA-MM-DD.`);
    }
  }
  const agrupar = filter.agrupar ?? 'semana';
  if (!(agrupar in GRAIN_SQL)) throw new AppError('INVALID_INPUT', 'Agrupe por «dia», «semana» o «mes».');
  const { rows: bounds } = await db.query<{ desde: string; hasta: string }>(
    `SELECT to_char(coalesce($1::date, coalesce($2::date, CURRENT_DATE) - 89), 'YYYY-MM-DD') AS desde,
            to_char(coalesce($2::date, CURRENT_DATE), 'YYYY-MM-DD') AS hasta`,
    [filter.desde ?? null, filter.hasta ?? null],
  );
  const period = bounds[0];
  if (!period) throw new Error('No period');
  if (period.desde > period.hasta) throw new AppError('INVALID_INPUT', 'La fecha inicial es posterior a la final.');
  const range = [period.desde, period.hasta];
  const inRange = `creado_en >= $1::date AND creado_en < $2::date + 1`;

  const stars = await db.query<{ estrellas: number | null; total: number }>(
    `SELECT calificacion AS estrellas, count(*)::int AS total FROM conversaciones_ai WHERE ${inRange} GROUP BY 1`,
    range,
  );
  const distribution = [1, 2, 3, 4, 5].map((estrellas) => ({
    estrellas,
    total: stars.rows.find((row) => row.estrellas === estrellas)?.total ?? 0,
  }));
  const rated = distribution.reduce((sum, row) => sum + row.total, 0);
  const starSum = distribution.reduce((sum, row) => sum + row.estrellas * row.total, 0);
  const unrated = stars.rows.find((row) => row.estrellas === null)?.total ?? 0;

  const thumbs = await db.query<{
    arriba: number;
    abajo: number;
    pendientes: number;
    procesadas: number;
    mejoradas: number;
  }>(
    `SELECT count(*) FILTER (WHERE calificacion = 'arriba')::int AS arriba,
            count(*) FILTER (WHERE calificacion = 'abajo')::int AS abajo,
            count(*) FILTER (WHERE calificacion = 'abajo' AND NOT procesado)::int AS pendientes,
            count(*) FILTER (WHERE procesado)::int AS procesadas,
            count(*) FILTER (WHERE mejorado)::int AS mejoradas
       FROM ai_calificaciones_chat WHERE ${inRange}`,
    range,
  );
  const totals = thumbs.rows[0] ?? { arriba: 0, abajo: 0, pendientes: 0, procesadas: 0, mejoradas: 0 };

  const trend = await db.query<{ periodo: string; positivas: number; negativas: number }>(
    `SELECT to_char(date_trunc('${GRAIN_SQL[agrupar]}', creado_en), 'YYYY-MM-DD') AS periodo,
            count(*) FILTER (WHERE calificacion = 'arriba')::int AS positivas,
            count(*) FILTER (WHERE calificacion = 'abajo')::int AS negativas
       FROM ai_calificaciones_chat WHERE ${inRange} GROUP BY 1 ORDER BY 1`,
    range,
  );

  const failing = await db.query<{ pregunta: string; veces: number; pendientes: number; ultima: Date }>(
    `SELECT min(pregunta) AS pregunta, count(*)::int AS veces,
            count(*) FILTER (WHERE NOT procesado)::int AS pendientes, max(creado_en) AS ultima
       FROM ai_calificaciones_chat
      WHERE calificacion = 'abajo' AND ${inRange}
      GROUP BY trim(regexp_replace(lower(rc_sin_acentos(pregunta)), '[^a-z0-9ñ]+', ' ', 'g'))
      ORDER BY veces DESC, ultima DESC LIMIT $3`,
    [...range, Math.min(Math.max(filter.top ?? 10, 1), 100)],
  );

  const changes = await db.query<{ entidad: string; accion: string; total: number }>(
    `SELECT entidad, accion, count(*)::int AS total FROM ai_historial_cambios
      WHERE ${inRange} GROUP BY 1, 2 ORDER BY 1, 2`,
    range,
  );
  const examples = await db.query<{ total: number }>(
    'SELECT count(*)::int AS total FROM ai_ejemplos_verificados WHERE activo',
  );

  return {
    periodo: { desde: period.desde, hasta: period.hasta, agrupar },
    conversaciones: rated + unrated,
    distribucion_estrellas: distribution,
    sin_estrellas: unrated,
    promedio_estrellas: rated === 0 ? null : Math.round((100 * starSum) / rated) / 100,
    pulgares: { arriba: totals.arriba, abajo: totals.abajo },
    evolucion: trend.rows.map((row) => ({
      ...row,
      porcentaje_positivo: percent(row.positivas, row.positivas + row.negativas),
    })),
    preguntas_fallidas: failing.rows,
    mejoras: {
      negativas: totals.abajo,
      pendientes: totals.pendientes,
      procesadas: totals.procesadas,
      mejoradas: totals.mejoradas,
      tasa_mejora: percent(totals.mejoradas, totals.procesadas),
      cambios: changes.rows,
      ejemplos_verificados: examples.rows[0]?.total ?? 0,
    },
  };
}
