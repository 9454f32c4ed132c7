import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The in-memory database (tests, throw-away runs): nothing is written to disk. */
export const MEMORY_DATA_DIR = 'memory://';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'debe ser un número entero' })
    .int('debe ser un número entero')
    .min(min, `debe ser al menos ${min}`)
    .max(max, `debe ser como máximo ${max}`);
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(emptyAsUndefined, wholeNumber(min, max).default(fallback));
const optionalInteger = (min: number, max: number) => z.preprocess(emptyAsUndefined, wholeNumber(min, max).optional());
const flag = z.preprocess(
  emptyAsUndefined,
  z
    .enum(['true', 'false', '1', '0'], { error: 'debe ser true o false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('es', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z
  .object({
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\/\S+$/, 'debe ser una URL postgres://usuario@servidor:puerto/base')
        .optional(),
    ),
    RAPICREDIT_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
    HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
    PORT: integer(3000, 0, 65535),
    RAPICREDIT_ZONA_HORARIA: z.preprocess(
      emptyAsUndefined,
      z.string().default('America/Caracas').refine(isTimeZone, 'no es una zona horaria IANA conocida'),
    ),
    RAPICREDIT_SESION_HORAS: integer(12, 1, 24 * 30),
    RAPICREDIT_COOKIE_SEGURA: flag,
    RAPICREDIT_LOGIN_MAX_INTENTOS: integer(5, 1, 1000),
    RAPICREDIT_LOGIN_VENTANA_MIN: integer(15, 1, 24 * 60),
    RAPICREDIT_EMBEDDINGS_PROVEEDOR: z.preprocess(
      emptyAsUndefined,
      z.enum(['local', 'openai'], { error: 'debe ser local u openai' }).default('local'),
    ),
    RAPICREDIT_EMBEDDINGS_MODELO: z.preprocess(emptyAsUndefined, z.string().default('text-embedding-3-small')),
    // pgvector stores at most 16000 dimensions.
    RAPICREDIT_EMBEDDINGS_DIMENSIONES: optionalInteger(1, 16_000),
    // Default (applied in loadConfig): openai when OPENAI_API_KEY is set, else local.
    RAPICREDIT_CHAT_PROVEEDOR: z.preprocess(
      emptyAsUndefined,
      z.enum(['local', 'openai'], { error: 'debe ser local u openai' }).optional(),
    ),
    RAPICREDIT_CHAT_MODELO: z.preprocess(emptyAsUndefined, z.string().default('gpt-4o-mini')),
    OPENAI_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
    OPENAI_BASE_URL: z.preprocess(
      emptyAsUndefined,
      z.url({ protocol: /^https?$/, error: 'debe ser una URL http:// o https://' }).optional(),
    ),
  })
  .refine((env) => env.RAPICREDIT_EMBEDDINGS_PROVEEDOR !== 'openai' || env.OPENAI_API_KEY !== undefined, {
    path: ['OPENAI_API_KEY'],
    message: 'es obligatoria cuando RAPICREDIT_EMBEDDINGS_PROVEEDOR=openai',
    // Also when other variables are invalid, so every problem is listed at once.
    when: () => true,
  })
  .refine((env) => env.RAPICREDIT_CHAT_PROVEEDOR !== 'openai' || env.OPENAI_API_KEY !== undefined, {
    path: ['OPENAI_API_KEY'],
    message: 'es obligatoria cuando RAPICREDIT_CHAT_PROVEEDOR=openai',
    when: () => true,
  });

/** Values given on the command line; they win over the environment. */
export interface ConfigOverrides {
  dataDir?: string;
  port?: number;
  host?: string;
}

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface Config {
  database: DatabaseConfig;
  /** Folder for files (uploads, lock); a per-process temporary path (created on first use) when in memory. */
  dataDir: string;
  inMemory: boolean;
  http: { host: string; port: number };
  timeZone: string;
  session: { ttlHours: number; secureCookie: boolean };
  login: { maxAttempts: number; windowMinutes: number };
  /** `dimensions` asks the model for shorter vectors; `apiKey` is set whenever `provider` is `openai`. */
  embeddings: EmbeddingsConfig;
  /** The chat model (LLM); `local` means none: answers come from the local engine. */
  chat: ChatConfig;
}

export interface EmbeddingsConfig {
  provider: 'local' | 'openai';
  model: string;
  dimensions?: number;
  apiKey?: string;
  baseURL?: string;
}

/** `apiKey` is set whenever `proveedor` is `openai`; `baseUrl` points at any OpenAI-compatible server. */
export interface ChatConfig {
  proveedor: 'local' | 'openai';
  modelo: string;
  apiKey?: string;
  baseUrl?: string;
}

/** Invalid configuration: `problems` lists every one, each naming its variable. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Configuración no válida:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses the environment (plus command-line overrides) once; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined>, overrides: ConfigOverrides = {}): Config {
  const merged = {
    ...env,
    ...(overrides.dataDir === undefined ? {} : { RAPICREDIT_DATA_DIR: overrides.dataDir }),
    ...(overrides.port === undefined ? {} : { PORT: String(overrides.port) }),
    ...(overrides.host === undefined ? {} : { HOST: overrides.host }),
  };
  const parsed = envSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'configuración'}: ${issue.message}`),
    );
  }
  const values = parsed.data;
  const inMemory = values.RAPICREDIT_DATA_DIR === MEMORY_DATA_DIR;
  const dataDir = inMemory
    ? path.join(tmpdir(), `rapicredit-memoria-${process.pid}`)
    : path.resolve(values.RAPICREDIT_DATA_DIR);
  return {
    database: values.DATABASE_URL
      ? { kind: 'postgres', url: values.DATABASE_URL }
      : { kind: 'pglite', dataDir: inMemory ? MEMORY_DATA_DIR : path.join(dataDir, 'pgdata') },
    dataDir,
    inMemory,
    http: { host: values.HOST, port: values.PORT },
    timeZone: values.RAPICREDIT_ZONA_HORARIA,
    session: { ttlHours: values.RAPICREDIT_SESION_HORAS, secureCookie: values.RAPICREDIT_COOKIE_SEGURA },
    login: { maxAttempts: values.RAPICREDIT_LOGIN_MAX_INTENTOS, windowMinutes: values.RAPICREDIT_LOGIN_VENTANA_MIN },
    embeddings: {
      provider: values.RAPICREDIT_EMBEDDINGS_PROVEEDOR,
      model: values.RAPICREDIT_EMBEDDINGS_MODELO,
      dimensions: values.RAPICREDIT_EMBEDDINGS_DIMENSIONES,
      apiKey: values.OPENAI_API_KEY,
      baseURL: values.OPENAI_BASE_URL,
    },
    chat: {
      proveedor: values.RAPICREDIT_CHAT_PROVEEDOR ?? (values.OPENAI_API_KEY === undefined ? 'local' : 'openai'),
      modelo: values.RAPICREDIT_CHAT_MODELO,
      apiKey: values.OPENAI_API_KEY,
      baseUrl: values.OPENAI_BASE_URL,
    },
  };
}
