import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { onServer, openTestDatabase, type TestDatabase, TEST_TIME_ZONE } from '../../test/support/database.ts';
import type { Database } from './database.ts';
import { listMigrationFiles, migrate } from './migrate.ts';
import { openPostgresDatabase } from './postgres-database.ts';

/** Every table and column the spec's table contract names. */
const CONTRACT: Record<string, string[]> = {
  users: ['id', 'email', 'nombre', 'apellido', 'password_hash', 'rol', 'activo', 'creado_en', 'ultimo_acceso'],
  clientes: [
    'id',
    'cedula',
    'nombres',
    'telefono',
    'email',
    'direccion',
    'fecha_nacimiento',
    'ocupacion',
    'ingreso_mensual',
    'estado',
    'fecha_registro',
    'notas',
  ],
  prestamos: [
    'id',
    'cliente_id',
    'producto',
    'total_financiamiento',
    'tasa_interes',
    'modalidad_pago',
    'numero_cuotas',
    'cuota_periodo',
    'fecha_requerimiento',
    'fecha_aprobacion',
    'estado',
    'analista',
    'concesionario',
    'fecha_registro',
    'observaciones',
  ],
  cuotas: [
    'id',
    'prestamo_id',
    'numero_cuota',
    'fecha_vencimiento',
    'monto_cuota',
    'monto_capital',
    'monto_interes',
    'saldo_capital_inicial',
    'saldo_capital_final',
    'total_pagado',
    'fecha_pago',
    'dias_mora',
    'estado',
  ],
  pagos: [
    'id',
    'prestamo_id',
    'cliente_id',
    'cuota_id',
    'fecha_pago',
    'monto_pagado',
    'metodo_pago',
    'institucion_bancaria',
    'numero_documento',
    'conciliado',
    'fecha_registro',
    'usuario_registro',
  ],
  configuracion_sistema: ['id', 'categoria', 'clave', 'valor', 'tipo_dato', 'descripcion'],
  conversaciones_ai: [
    'id',
    'pregunta',
    'respuesta',
    'contexto_usado',
    'documentos_usados',
    'modelo_usado',
    'tokens_usados',
    'tiempo_respuesta',
    'calificacion',
    'feedback',
    'usuario_id',
    'cliente_id',
    'prestamo_id',
    'pago_id',
    'cuota_id',
    'creado_en',
    'actualizado_en',
  ],
  fine_tuning_jobs: [
    'id',
    'openai_job_id',
    'status',
    'modelo_base',
    'modelo_entrenado',
    'archivo_entrenamiento',
    'total_conversaciones',
    'progreso',
    'error',
    'epochs',
    'learning_rate',
    'creado_en',
    'actualizado_en',
    'completado_en',
  ],
  documentos_ai: [
    'id',
    'titulo',
    'descripcion',
    'nombre_archivo',
    'tipo_archivo',
    'ruta_archivo',
    'tamano_bytes',
    'contenido_texto',
    'contenido_procesado',
    'activo',
    'creado_en',
    'actualizado_en',
  ],
  documento_ai_embeddings: [
    'id',
    'documento_id',
    'chunk_index',
    'texto_chunk',
    'embedding',
    'modelo_embedding',
    'dimensiones',
    'creado_en',
  ],
  ai_diccionario_semantico: [
    'id',
    'palabra',
    'definicion',
    'categoria',
    'campo_relacionado',
    'tabla_relacionada',
    'sinonimos',
    'ejemplos_uso',
    'activo',
    'creado_en',
    'actualizado_en',
  ],
  ai_definiciones_campos: [
    'id',
    'tabla',
    'campo',
    'definicion',
    'tipo_dato',
    'es_obligatorio',
    'tiene_indice',
    'es_clave_foranea',
    'tabla_referenciada',
    'campo_referenciado',
    'valores_posibles',
    'ejemplos_valores',
    'notas',
    'activo',
    'creado_en',
    'actualizado_en',
  ],
  ai_calificaciones_chat: [
    'id',
    'conversacion_id',
    'pregunta',
    'respuesta_ai',
    'calificacion',
    'usuario_email',
    'procesado',
    'notas_procesamiento',
    'mejorado',
    'creado_en',
    'actualizado_en',
  ],
  modelos_riesgo: [
    'id',
    'prestamo_id',
    'probabilidad_impago',
    'nivel_riesgo',
    'factores',
    'metricas',
    'version_modelo',
    'fecha_evaluacion',
  ],
  modelos_impago_cuotas: [
    'id',
    'cuota_id',
    'prestamo_id',
    'probabilidad_impago',
    'nivel_riesgo',
    'factores',
    'metricas',
    'version_modelo',
    'fecha_evaluacion',
  ],
};

const SEED_DOCUMENT_QUERIES = [
  'SELECT * FROM conversaciones_ai WHERE calificacion >= 4 ORDER BY creado_en DESC;',
  "SELECT * FROM fine_tuning_jobs WHERE status IN ('pending', 'running') ORDER BY creado_en DESC;",
  'SELECT * FROM documentos_ai WHERE contenido_procesado = true AND activo = true;',
  "SELECT * FROM ai_calificaciones_chat WHERE calificacion = 'abajo' AND procesado = false ORDER BY creado_en DESC;",
  'SELECT documento_id, COUNT(*) as total_chunks FROM documento_ai_embeddings GROUP BY documento_id;',
];

describe('migrations from zero', () => {
  let testDb: TestDatabase;
  before(async () => {
    testDb = await openTestDatabase({ migrate: false });
  });
  after(() => testDb.close());

  test('apply every migration once, then re-run as a no-op', async () => {
    const first = await migrate(testDb.db);
    assert.deepEqual(
      first.applied.map((migration) => migration.version),
      [...new Set(listMigrationFiles().map((file) => file.version))],
    );
    const second = await migrate(testDb.db);
    assert.equal(second.applied.length, 0);
    assert.equal(second.alreadyApplied, first.applied.length);
    const { rows } = await testDb.db.query<{ total: number }>('SELECT count(*) AS total FROM schema_migrations');
    assert.equal(rows[0]?.total, first.applied.length);
  });

  test('every table and column of the contract exists, with integer identity ids', async () => {
    const { rows } = await testDb.db.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_identity: string;
    }>(
      "SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = 'public'",
    );
    for (const [table, columns] of Object.entries(CONTRACT)) {
      const present = rows.filter((row) => row.table_name === table);
      for (const column of columns) {
        assert.ok(
          present.some((row) => row.column_name === column),
          `${table}.${column} is missing`,
        );
      }
      const id = present.find((row) => row.column_name === 'id');
      assert.equal(id?.data_type, 'integer', `${table}.id is an integer`);
      assert.equal(id?.is_identity, 'YES', `${table}.id is an identity`);
    }
  });

  test("the seed document's five queries run unchanged", async () => {
    for (const query of SEED_DOCUMENT_QUERIES) await testDb.db.query(query);
  });

  test('embeddings backend is chosen at migration time and recorded', async () => {
    const { rows } = await testDb.db.query<{ variante: string }>(
      'SELECT variante FROM schema_migrations WHERE version = 3',
    );
    const expected = testDb.db.kind === 'pglite' ? 'pgvector' : rows[0]?.variante;
    assert.equal(rows[0]?.variante, expected);
    const capability = await testDb.db.query<{ valor: string }>(
      "SELECT valor FROM capacidades_bd WHERE clave = 'embeddings.backend'",
    );
    assert.equal(capability.rows[0]?.valor, rows[0]?.variante === 'pgvector' ? 'pgvector' : 'float4[]');
  });

  test('CHECK constraints refuse values outside the contract', async () => {
    await assert.rejects(
      testDb.db.query("INSERT INTO clientes (cedula, nombres) VALUES ('X123', 'Sin cédula válida')"),
    );
    await assert.rejects(
      testDb.db.query("INSERT INTO users (email, password_hash, rol) VALUES ('a@b.com', 'x', 'SUPERVISOR')"),
    );
    await assert.rejects(
      testDb.db.query("INSERT INTO fine_tuning_jobs (modelo_base, status) VALUES ('gpt-4o-mini', 'done')"),
    );
  });

  test('default settings include the documents folder', async () => {
    const { rows } = await testDb.db.query<{ valor: string }>(
      "SELECT valor FROM configuracion_sistema WHERE categoria = 'AI' AND clave = 'ruta_documentos_ai'",
    );
    assert.equal(rows[0]?.valor, 'uploads/documentos_ai');
  });

  test('an applied migration edited afterwards is refused, not silently skipped', async () => {
    const files = listMigrationFiles().map((file) => ({ ...file }));
    const first = files[0];
    assert.ok(first);
    first.sql = `${first.sql}\n-- edited`;
    await assert.rejects(migrate(testDb.db, files), /fue modificada/);
  });
});

describe(
  'two processes migrating at once',
  { skip: !onServer && 'PGlite is single-process: the data-folder lock covers it' },
  () => {
    test('apply each migration exactly once and leave a working schema', async () => {
      const testDb = await openTestDatabase({ migrate: false });
      const others: Database[] = [];
      try {
        assert.ok(testDb.url);
        for (let process = 0; process < 3; process++) {
          others.push(await openPostgresDatabase({ url: testDb.url, timeZone: TEST_TIME_ZONE, maxConnections: 2 }));
        }
        // allSettled: every migration finishes before the database is dropped, and a failure shows its own error.
        const settled = await Promise.allSettled([testDb.db, ...others].map((db) => migrate(db)));
        const reports = settled.map((result) => {
          if (result.status === 'rejected') throw result.reason;
          return result.value;
        });
        const appliedVersions = reports.flatMap((report) => report.applied.map((migration) => migration.version));
        assert.equal(appliedVersions.length, new Set(appliedVersions).size, 'no migration applied twice');
        assert.equal(appliedVersions.length, new Set(listMigrationFiles().map((file) => file.version)).size);
        for (const query of SEED_DOCUMENT_QUERIES) await testDb.db.query(query);
      } finally {
        // Close the extra connections before the test database is dropped (DROP ... WITH (FORCE)).
        await Promise.all(others.map((db) => db.close()));
        await testDb.close();
      }
    });
  },
);
