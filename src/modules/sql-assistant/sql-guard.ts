import { loadModule, parse, scan, type ParseResult } from 'libpg-query';
import { AppError } from '../../errors.ts';

/** A query that passed the guard: wrapped with a row limit, plus the tables it reads. */
export interface GuardedSql {
  sql: string;
  tablas: string[];
}

/** Splits a whitespace-separated list of identifiers. */
function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

const USER_COLUMNS = words('id nombre apellido email rol activo');

/** Tables the assistant may read, with the columns it may name (`users` never exposes password_hash). */
export const ALLOWED_TABLES: Readonly<Record<string, readonly string[]>> = {
  clientes: words(
    'id cedula nombres telefono email direccion fecha_nacimiento ocupacion ingreso_mensual estado fecha_registro notas',
  ),
  prestamos: words(`id cliente_id producto total_financiamiento tasa_interes modalidad_pago numero_cuotas
    cuota_periodo fecha_requerimiento fecha_aprobacion estado analista concesionario fecha_registro observaciones`),
  cuotas: words(`id prestamo_id numero_cuota fecha_vencimiento monto_cuota monto_capital monto_interes
    saldo_capital_inicial saldo_capital_final total_pagado fecha_pago dias_mora estado`),
  pagos: words(`id prestamo_id cliente_id cuota_id fecha_pago monto_pagado metodo_pago institucion_bancaria
    numero_documento conciliado fecha_registro usuario_registro`),
  modelos_riesgo: words(
    'id prestamo_id probabilidad_impago nivel_riesgo factores metricas version_modelo fecha_evaluacion',
  ),
  modelos_impago_cuotas: words(
    'id cuota_id prestamo_id probabilidad_impago nivel_riesgo factores metricas version_modelo fecha_evaluacion',
  ),
  users: USER_COLUMNS,
};

/** Columns of `users` that exist but must never be read. */
const HIDDEN_USER_COLUMNS = new Set(words('password_hash creado_en ultimo_acceso'));

/**
 * Functions the assistant may call (unqualified or under pg_catalog). `timezone`, `overlaps` and
 * `similar_to_escape` are what AT TIME ZONE, OVERLAPS and SIMILAR TO parse to; the last line holds
 * casts written as calls.
 */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set(
  words(`
    count sum avg min max string_agg array_agg bool_and bool_or every percentile_cont percentile_disc mode
    stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp
    json_agg jsonb_agg json_object_agg jsonb_object_agg
    row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
    round abs floor ceil ceiling trunc power pow sqrt cbrt ln log log10 exp sign mod div width_bucket
    coalesce nullif greatest least
    now date_trunc extract date_part make_date make_timestamp make_timestamptz make_interval to_char to_date
    to_timestamp to_number age justify_days justify_hours justify_interval date timezone overlaps isfinite
    date_bin clock_timestamp statement_timestamp transaction_timestamp generate_series
    lower upper initcap trim btrim ltrim rtrim length char_length character_length concat concat_ws
    substring substr replace translate position strpos split_part left right lpad rpad reverse starts_with
    regexp_replace regexp_match regexp_matches regexp_like regexp_count regexp_substr format similar_to_escape
    unnest array_length cardinality array_to_string string_to_array array_position
    json_build_object jsonb_build_object json_build_array jsonb_build_array to_json to_jsonb
    jsonb_array_length jsonb_typeof jsonb_array_elements jsonb_array_elements_text jsonb_each jsonb_each_text
    jsonb_object_keys jsonb_extract_path jsonb_extract_path_text
    numeric int2 int4 int8 float4 float8 text varchar bool timestamp timestamptz
  `),
);

/** Types a value may be cast to (`::type` or CAST). */
const ALLOWED_TYPES = new Set(
  words(`int2 int4 int8 smallint integer int bigint numeric decimal float4 float8 real text varchar bpchar char
    bool boolean date time timetz timestamp timestamptz interval json jsonb`),
);

/** Date and time keywords (CURRENT_DATE...); CURRENT_USER and friends would reveal the connection. */
const ALLOWED_VALUE_FUNCTIONS = new Set(
  ['CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP'].flatMap((name) => [
    `SVFOP_${name}`,
    `SVFOP_${name}_N`,
  ]),
);

/** Expression and clause nodes that carry no risk of their own (their children are still checked). */
const NEUTRAL_NODES = new Set(
  words(`ResTarget A_Star String Integer Float Boolean BitString A_Const ParamRef BoolExpr NullTest BooleanTest
    CaseExpr CaseWhen CoalesceExpr MinMaxExpr SubLink SortBy WindowDef GroupingSet GroupingFunc A_ArrayExpr
    A_Indirection A_Indices RowExpr CollateClause List NamedArgExpr CTESearchClause CTECycleClause`),
);

const CONSTRUCT_LABELS: Record<string, string> = {
  RangeTableSample: 'TABLESAMPLE',
  RangeTableFunc: 'XMLTABLE',
  JsonTable: 'JSON_TABLE',
  XmlExpr: 'XML',
  XmlSerialize: 'XMLSERIALIZE',
  ColumnDef: 'definición de columnas (AS t(columna tipo))',
};

const STATEMENT_LABELS: Record<string, string> = {
  InsertStmt: 'una inserción (INSERT)',
  UpdateStmt: 'una actualización (UPDATE)',
  DeleteStmt: 'un borrado de filas (DELETE)',
  MergeStmt: 'una fusión de datos (MERGE)',
  CopyStmt: 'una copia de datos (COPY)',
  TruncateStmt: 'un vaciado de tabla (TRUNCATE)',
  DropStmt: 'un borrado de objetos (DROP)',
  CreateStmt: 'una creación de tabla (CREATE TABLE)',
  CreateTableAsStmt: 'una creación de tabla desde una consulta (CREATE TABLE AS)',
  AlterTableStmt: 'una modificación de tabla (ALTER TABLE)',
  IndexStmt: 'una creación de índice (CREATE INDEX)',
  ViewStmt: 'una creación de vista (CREATE VIEW)',
  VariableSetStmt: 'un cambio de configuración (SET)',
  VariableShowStmt: 'una consulta de configuración (SHOW)',
  ExplainStmt: 'un plan de ejecución (EXPLAIN)',
  CallStmt: 'una llamada a un procedimiento (CALL)',
  DoStmt: 'un bloque de código anónimo (DO)',
  ListenStmt: 'una suscripción a notificaciones (LISTEN)',
  UnlistenStmt: 'una baja de notificaciones (UNLISTEN)',
  NotifyStmt: 'una notificación (NOTIFY)',
  PrepareStmt: 'una preparación de sentencia (PREPARE)',
  ExecuteStmt: 'una ejecución de sentencia preparada (EXECUTE)',
  DeallocateStmt: 'una liberación de sentencia preparada (DEALLOCATE)',
  GrantStmt: 'un cambio de permisos (GRANT o REVOKE)',
  VacuumStmt: 'un mantenimiento de tablas (VACUUM o ANALYZE)',
  LockStmt: 'un bloqueo de tabla (LOCK)',
};

type AstObject = Record<string, unknown>;

/** What a name in FROM stands for at one query level. */
type Source = { kind: 'table'; table: string } | { kind: 'join'; tables: string[] } | { kind: 'derived' };

interface Scope {
  parent: Scope | undefined;
  /** CTE names visible here (a FROM name matching one reads the CTE, not a table). */
  ctes: Set<string>;
  /** FROM names (alias, or table name without alias) of this level. */
  sources: Map<string, Source>;
  /** Real tables in this level's FROM, which an unqualified `*` expands. */
  tables: string[];
}

function reject(message: string): never {
  throw new AppError('INVALID_INPUT', message);
}

function isObject(value: unknown): value is AstObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The single `{ NodeType: body }` entry of a wrapped node, if `value` is one. */
function unwrap(value: unknown): [string, AstObject] | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const [type] = keys;
  if (keys.length !== 1 || type === undefined || !/^[A-Z]/.test(type)) return undefined;
  const body = value[type];
  return [type, isObject(body) ? body : {}];
}

/** The text of String nodes (`*` for A_Star) in a name list such as `fields` or `funcname`. */
function names(value: unknown): string[] {
  return list(value).map((item) => {
    const node = unwrap(item);
    if (node?.[0] === 'String') return String(node[1].sval ?? '');
    return '*';
  });
}

const usersColumnsText = USER_COLUMNS.join(', ');
const allowedTablesText =
  'clientes, prestamos, cuotas, pagos, modelos_riesgo, modelos_impago_cuotas ' + `y users (solo ${usersColumnsText})`;

function describeStatement(type: string, body: AstObject): string {
  if (type === 'TransactionStmt') {
    const kind = String(body.kind ?? '').replace('TRANS_STMT_', '');
    return `un control de transacción (${kind || 'BEGIN/COMMIT'})`;
  }
  const known = STATEMENT_LABELS[type];
  if (known) return known;
  const words = type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
  return `una instrucción ${words.toUpperCase()}`;
}

/** The SQL keyword of a statement, such as SELECT or DROP. */
function statementKeyword(node: [string, AstObject] | undefined): string {
  if (!node) return '?';
  if (node[0] === 'SelectStmt') return 'SELECT';
  const label = describeStatement(node[0], node[1]);
  return /\(([^)]+)\)$/.exec(label)?.[1] ?? label.replace('una instrucción ', '');
}

/** Walks one statement's tree, rejecting anything outside the allowlists and collecting the tables read. */
class TreeChecker {
  readonly tables = new Set<string>();

  checkSelect(select: AstObject, parent: Scope | undefined): void {
    if (select.intoClause) {
      reject('SELECT ... INTO crea una tabla nueva y no está permitido; solo se permiten consultas de lectura.');
    }
    if (list(select.lockingClause).length > 0) {
      reject('Las cláusulas FOR UPDATE y FOR SHARE bloquean filas y no están permitidas en una consulta de lectura.');
    }
    const scope: Scope = { parent, ctes: new Set(), sources: new Map(), tables: [] };
    if (isObject(select.withClause)) this.checkWith(select.withClause, scope);
    // Set operations keep their branches as bare SelectStmt bodies, not wrapped nodes.
    for (const branch of [select.larg, select.rarg]) if (isObject(branch)) this.checkSelect(branch, scope);
    const from = list(select.fromClause);
    for (const item of from) this.registerFromItem(item, scope);
    for (const item of from) this.walkFromItem(item, scope);
    for (const [key, value] of Object.entries(select)) {
      if (['withClause', 'larg', 'rarg', 'fromClause'].includes(key)) continue;
      this.walk(value, scope);
    }
  }

  private checkWith(withClause: AstObject, scope: Scope): void {
    const ctes = list(withClause.ctes).flatMap((item) => {
      const node = unwrap(item);
      return node?.[0] === 'CommonTableExpr' ? [node[1]] : [];
    });
    // Without RECURSIVE a CTE sees only the earlier ones; a later name still means the real table.
    if (withClause.recursive) for (const cte of ctes) scope.ctes.add(String(cte.ctename));
    for (const cte of ctes) {
      const name = String(cte.ctename);
      const query = unwrap(cte.ctequery);
      if (query?.[0] !== 'SelectStmt') {
        const kind = query ? describeStatement(query[0], query[1]) : 'una instrucción desconocida';
        reject(`La subconsulta WITH ${name} contiene ${kind}; solo se permiten consultas de lectura (SELECT).`);
      }
      this.checkSelect(query[1], scope);
      for (const key of ['search_clause', 'cycle_clause']) this.walk(cte[key], scope);
      scope.ctes.add(name);
    }
  }

  /** Records what each FROM name stands for; returns the real tables under `item`. */
  private registerFromItem(item: unknown, scope: Scope): string[] {
    const node = unwrap(item);
    if (!node) return reject('La cláusula FROM contiene un elemento no reconocido.');
    const [type, body] = node;
    const alias = isObject(body.alias) ? body.alias : undefined;
    const aliasName = alias ? String(alias.aliasname) : undefined;
    if (type === 'RangeVar') {
      const table = this.checkRelation(body, scope);
      const name = aliasName ?? String(body.relname);
      if (table === undefined) {
        scope.sources.set(name, { kind: 'derived' });
        return [];
      }
      if (table === 'users' && alias?.colnames) {
        reject(`No se pueden renombrar las columnas de users (${aliasName}); use sus columnas: ${usersColumnsText}.`);
      }
      scope.sources.set(name, { kind: 'table', table });
      scope.tables.push(table);
      return [table];
    }
    if (type === 'JoinExpr') {
      const tables = [...this.registerFromItem(body.larg, scope), ...this.registerFromItem(body.rarg, scope)];
      const hidden = names(body.usingClause).find(
        (column) => column === 'password_hash' || HIDDEN_USER_COLUMNS.has(column),
      );
      if (hidden !== undefined && tables.includes('users')) {
        reject(`La columna ${hidden} de users no está permitida; columnas disponibles: ${usersColumnsText}.`);
      }
      if (tables.includes('users') && alias?.colnames) {
        reject(`No se pueden renombrar las columnas de una unión que incluye users (${aliasName}).`);
      }
      // `JOIN ... USING (...) AS j` names the join columns; treat it like a join alias.
      for (const joinAlias of [alias, body.join_using_alias]) {
        if (isObject(joinAlias)) scope.sources.set(String(joinAlias.aliasname), { kind: 'join', tables });
      }
      return tables;
    }
    if (type === 'RangeSubselect' || type === 'RangeFunction') {
      if (aliasName !== undefined) scope.sources.set(aliasName, { kind: 'derived' });
      return [];
    }
    return reject(
      `La construcción SQL ${CONSTRUCT_LABELS[type] ?? type} no está permitida en las consultas del asistente.`,
    );
  }

  /** Checks what FROM items contain besides table names: join conditions, subqueries, functions. */
  private walkFromItem(item: unknown, scope: Scope): void {
    const node = unwrap(item);
    if (!node) return;
    const [type, body] = node;
    if (type === 'JoinExpr') {
      this.walkFromItem(body.larg, scope);
      this.walkFromItem(body.rarg, scope);
      this.walk(body.quals, scope);
    } else if (type === 'RangeSubselect') {
      this.walk(body.subquery, scope);
    } else if (type === 'RangeFunction') {
      this.walk(body.functions, scope);
      this.walk(body.coldeflist, scope);
    }
  }

  /** Returns the allowed table a RangeVar reads, or undefined when it names a visible CTE. */
  private checkRelation(rangeVar: AstObject, scope: Scope): string | undefined {
    const relation = String(rangeVar.relname ?? '');
    const schema = rangeVar.schemaname === undefined ? undefined : String(rangeVar.schemaname);
    const full = [rangeVar.catalogname, schema, relation].filter((part) => part !== undefined).join('.');
    if (rangeVar.catalogname !== undefined || (schema !== undefined && schema !== 'public')) {
      reject(`La tabla ${full} no está permitida: solo se pueden consultar ${allowedTablesText}.`);
    }
    if (schema === undefined) {
      for (let level: Scope | undefined = scope; level; level = level.parent) {
        if (level.ctes.has(relation)) return undefined;
      }
    }
    if (!Object.hasOwn(ALLOWED_TABLES, relation)) {
      reject(`La tabla ${full} no está permitida: solo se pueden consultar ${allowedTablesText}.`);
    }
    this.tables.add(relation);
    return relation;
  }

  private walk(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope);
      return;
    }
    if (!isObject(value)) return;
    const node = unwrap(value);
    if (!node) {
      // A bare struct (alias, type name, window definition): its fields may hold nodes.
      if ('relname' in value) this.checkRelation(value, scope);
      for (const child of Object.values(value)) this.walk(child, scope);
      return;
    }
    const [type, body] = node;
    switch (type) {
      case 'SelectStmt':
        return this.checkSelect(body, scope);
      case 'RangeVar':
        this.checkRelation(body, scope);
        return;
      case 'ColumnRef':
        return this.checkColumnRef(body, scope);
      case 'FuncCall':
        this.checkFunction(body);
        break;
      case 'SQLValueFunction':
        return this.checkValueFunction(body);
      case 'TypeCast':
        this.checkType(body.typeName);
        break;
      case 'A_Expr':
        this.checkOperator(body);
        break;
      default:
        if (!NEUTRAL_NODES.has(type)) {
          reject(
            `La construcción SQL ${CONSTRUCT_LABELS[type] ?? type} no está permitida en las consultas del asistente.`,
          );
        }
    }
    for (const child of Object.values(body)) this.walk(child, scope);
  }

  private resolve(name: string, scope: Scope): Source | undefined {
    for (let level: Scope | undefined = scope; level; level = level.parent) {
      const source = level.sources.get(name);
      if (source) return source;
    }
    return undefined;
  }

  private checkColumnRef(columnRef: AstObject, scope: Scope): void {
    const parts = names(columnRef.fields);
    if (parts.some((part) => part.toLowerCase() === 'password_hash')) {
      reject('La columna password_hash no se puede consultar.');
    }
    const column = parts.at(-1) ?? '';
    const qualifier = parts.at(-2);
    const exposesUsers = (source: Source | undefined): boolean =>
      source?.kind === 'table' ? source.table === 'users' : source?.kind === 'join' && source.tables.includes('users');
    if (qualifier === undefined) {
      if (column === '*') {
        if (scope.tables.includes('users')) {
          reject(
            `No se puede usar * con la tabla users (expondría password_hash); indique columnas: ${usersColumnsText}.`,
          );
        }
        return;
      }
      if (exposesUsers(this.resolve(column, scope))) {
        reject(`No se puede usar la fila completa de users (${column}); indique columnas: ${usersColumnsText}.`);
      }
      if (HIDDEN_USER_COLUMNS.has(column) && this.usersInScope(scope)) {
        reject(`La columna ${column} de users no está permitida; columnas disponibles: ${usersColumnsText}.`);
      }
      return;
    }
    const source = this.resolve(qualifier, scope);
    if (column === '*') {
      if (exposesUsers(source)) {
        reject(
          `No se puede usar ${qualifier}.* con la tabla users (expondría password_hash); indique columnas: ${usersColumnsText}.`,
        );
      }
      return;
    }
    if (source?.kind === 'table' && !ALLOWED_TABLES[source.table]?.includes(column)) {
      const hint = source.table === 'users' ? `; columnas disponibles: ${usersColumnsText}` : '';
      reject(
        `La columna ${column} no existe o no está permitida en la tabla ${source.table} (${qualifier}.${column})${hint}.`,
      );
    }
    if (source?.kind === 'join' && source.tables.includes('users') && HIDDEN_USER_COLUMNS.has(column)) {
      reject(`La columna ${column} de users no está permitida; columnas disponibles: ${usersColumnsText}.`);
    }
  }

  private usersInScope(scope: Scope): boolean {
    for (let level: Scope | undefined = scope; level; level = level.parent) {
      if (level.tables.includes('users')) return true;
    }
    return false;
  }

  private checkFunction(funcCall: AstObject): void {
    const parts = names(funcCall.funcname);
    const name = parts.at(-1) ?? '';
    const schemaOk = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog');
    if (!schemaOk || !ALLOWED_FUNCTIONS.has(name)) {
      reject(`La función ${parts.join('.')} no está permitida en las consultas del asistente.`);
    }
  }

  private checkValueFunction(valueFunction: AstObject): void {
    const op = String(valueFunction.op ?? '');
    if (!ALLOWED_VALUE_FUNCTIONS.has(op)) {
      reject(`La función ${op.replace('SVFOP_', '')} no está permitida en las consultas del asistente.`);
    }
  }

  private checkType(typeName: unknown): void {
    const parts = isObject(typeName) ? names(typeName.names) : [];
    const name = parts.at(-1) ?? '';
    const schemaOk = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog');
    if (!schemaOk || !ALLOWED_TYPES.has(name)) {
      reject(`La conversión al tipo ${parts.join('.')} no está permitida en las consultas del asistente.`);
    }
  }

  private checkOperator(expression: AstObject): void {
    const parts = names(expression.name);
    if (parts.length > 1 && parts[0] !== 'pg_catalog') {
      reject(`El operador ${parts.join('.')} no está permitido en las consultas del asistente.`);
    }
  }
}

const PARSER_MESSAGES: [RegExp, string][] = [
  [/^syntax error at or near (.*)$/, 'error de sintaxis cerca de $1'],
  [/^syntax error at end of input$/, 'error de sintaxis: la consulta termina antes de tiempo'],
  [/^unterminated quoted string at or near (.*)$/, 'texto entre comillas sin cerrar cerca de $1'],
  [/^unterminated quoted identifier at or near (.*)$/, 'identificador entre comillas dobles sin cerrar cerca de $1'],
  [/^unterminated \/\* comment at or near (.*)$/, 'comentario /* sin cerrar'],
];

async function parseOrReject(sql: string): Promise<ParseResult> {
  try {
    return await parse(sql);
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    const raw = details?.message ?? (error as Error).message;
    const translated = PARSER_MESSAGES.reduce(
      (text, [pattern, spanish]) => (pattern.test(text) ? text.replace(pattern, spanish) : text),
      raw,
    );
    // cursorPosition counts characters from 0; users count from 1.
    const where = details?.cursorPosition === undefined ? '' : ` (posición ${details.cursorPosition + 1})`;
    throw new AppError('INVALID_INPUT', `La consulta SQL no es válida: ${translated}${where}.`, { cause: error });
  }
}

/** The statement text without leading/trailing comments and semicolons (offsets are UTF-8 bytes). */
async function statementText(sql: string, location: number, length: number | undefined): Promise<string> {
  const bytes = Buffer.from(sql);
  const end = length ? location + length : bytes.length;
  const tokens = (await scan(sql)).tokens.filter(
    (token) =>
      token.start >= location &&
      token.end <= end &&
      token.text !== ';' &&
      token.tokenName !== 'SQL_COMMENT' &&
      token.tokenName !== 'C_COMMENT',
  );
  const first = tokens[0]?.start ?? location;
  const last = tokens.at(-1)?.end ?? end;
  return bytes.subarray(first, last).toString('utf8');
}

/**
 * Checks a generated query with the real PostgreSQL parser: one read-only SELECT over the allowed
 * tables, columns and functions. Returns it wrapped with `LIMIT maxRows + 1` (so the caller can tell
 * when rows were cut) and the tables it reads. Anything else is an INVALID_INPUT AppError in Spanish.
 */
export async function guardSql(sql: string, options: { maxRows: number }): Promise<GuardedSql> {
  if (!Number.isInteger(options.maxRows) || options.maxRows < 1) {
    throw new AppError('INVALID_INPUT', 'El número máximo de filas debe ser un entero positivo.');
  }
  if (sql.trim() === '') reject('La consulta SQL está vacía.');
  await loadModule();
  const statements = (await parseOrReject(sql)).stmts ?? [];
  if (statements.length === 0) reject('La consulta SQL está vacía (solo contiene comentarios o puntos y coma).');
  if (statements.length > 1) {
    const kinds = statements.map((each) => statementKeyword(unwrap(each.stmt))).join(', ');
    reject(`Solo se permite una sentencia SQL por consulta y se recibieron ${statements.length} (${kinds}).`);
  }
  const [statement] = statements;
  const node = unwrap(statement?.stmt);
  if (!statement || !node) return reject('La consulta SQL está vacía.');
  if (node[0] !== 'SelectStmt') {
    reject(
      `Solo se permiten consultas de lectura (SELECT); la instrucción recibida es ${describeStatement(node[0], node[1])}.`,
    );
  }
  const checker = new TreeChecker();
  checker.checkSelect(node[1], undefined);

  const inner = await statementText(sql, statement.stmt_location ?? 0, statement.stmt_len);
  const wrapped = `SELECT * FROM (${inner}) AS consulta LIMIT ${options.maxRows + 1}`;
  // The wrapper must still be exactly one SELECT; anything else means the slicing went wrong.
  const check = await parseOrReject(wrapped);
  if (check.stmts?.length !== 1 || unwrap(check.stmts[0]?.stmt)?.[0] !== 'SelectStmt') {
    throw new AppError('INTERNAL', 'No se pudo limitar el número de filas de la consulta.');
  }
  return { sql: wrapped, tablas: [...checker.tables].sort() };
}
