-- What the question-to-SQL engine knows about the schema and the business, as data administrators
-- can edit: every column of the loan book described (type, foreign keys, possible values and the
-- words staff use for it), and dictionary entries that carry the SQL meaning of a business term:
--   condicion_sql  a condition over tabla_relacionada ("cuota vencida", "préstamo activo");
--   expresion_sql  an aggregate over tabla_relacionada ("saldo pendiente"), or for categoria
--                  'seleccion' the ORDER BY that picks one row ("último pago").
-- Conditions and expressions name columns as <tabla>.<columna>; any subquery inside uses aliases of
-- its own. The engine's SQL guard checks whatever comes out, so an entry cannot open other tables.
ALTER TABLE ai_diccionario_semantico
  ADD COLUMN condicion_sql text,
  ADD COLUMN expresion_sql text;

ALTER TABLE ai_definiciones_campos
  ADD COLUMN sinonimos jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(sinonimos) = 'array');

INSERT INTO ai_definiciones_campos
  (tabla, campo, definicion, tipo_dato, es_obligatorio, tiene_indice, es_clave_foranea, tabla_referenciada, campo_referenciado, valores_posibles, sinonimos)
VALUES
  ('clientes', 'id', 'Identificador interno del cliente.', 'integer', true, true, false, NULL, NULL, '[]', '["id del cliente", "código del cliente"]'),
  ('clientes', 'cedula', 'Cédula (V venezolano, E extranjero) o RIF (J empresa), sin guion.', 'text', true, true, false, NULL, NULL, '[]', '["cédula", "cedula", "documento de identidad", "rif", "ci", "identificación"]'),
  ('clientes', 'nombres', 'Nombre completo del cliente o razón social.', 'text', true, false, false, NULL, NULL, '[]', '["nombre", "nombres", "nombre completo", "razón social"]'),
  ('clientes', 'telefono', 'Teléfono de contacto.', 'text', false, false, false, NULL, NULL, '[]', '["teléfono", "telefono", "celular", "número de teléfono", "móvil"]'),
  ('clientes', 'email', 'Correo electrónico.', 'text', false, false, false, NULL, NULL, '[]', '["correo", "email", "correo electrónico", "e-mail", "mail"]'),
  ('clientes', 'direccion', 'Dirección de habitación o del negocio.', 'text', false, false, false, NULL, NULL, '[]', '["dirección", "direccion", "domicilio", "dónde vive"]'),
  ('clientes', 'fecha_nacimiento', 'Fecha de nacimiento.', 'date', false, false, false, NULL, NULL, '[]', '["fecha de nacimiento", "nacimiento", "cumpleaños", "nació", "nacido", "nacidos", "nacida", "nacidas"]'),
  ('clientes', 'ocupacion', 'Ocupación u oficio.', 'text', false, false, false, NULL, NULL, '[]', '["ocupación", "ocupacion", "oficio", "profesión", "trabajo", "se dedica", "dedica", "a qué se dedica", "trabaja como"]'),
  ('clientes', 'ingreso_mensual', 'Ingreso mensual declarado.', 'numeric', false, false, false, NULL, NULL, '[]', '["ingreso mensual", "ingreso", "ingresos", "sueldo", "salario", "gana", "ganan", "ganan al mes", "gana al mes"]'),
  ('clientes', 'estado', 'Estado del cliente.', 'text', true, false, false, NULL, NULL, '["ACTIVO", "INACTIVO", "FINALIZADO"]', '["estado", "estatus", "situación"]'),
  ('clientes', 'fecha_registro', 'Fecha en que se registró el cliente.', 'timestamptz', true, false, false, NULL, NULL, '[]', '["fecha de registro", "fecha", "registrado", "registrados", "registradas", "se registraron"]'),
  ('clientes', 'notas', 'Notas internas sobre el cliente.', 'text', false, false, false, NULL, NULL, '[]', '["notas"]'),
  ('prestamos', 'id', 'Número del préstamo (también de la solicitud).', 'integer', true, true, false, NULL, NULL, '[]', '["número de préstamo", "id del préstamo"]'),
  ('prestamos', 'cliente_id', 'Cliente titular del préstamo.', 'integer', true, true, true, 'clientes', 'id', '[]', '[]'),
  ('prestamos', 'producto', 'Producto financiado.', 'text', true, true, false, NULL, NULL, '["MOTO", "VEHICULO", "PERSONAL", "COMERCIAL"]', '["producto", "tipo de préstamo", "tipo de crédito", "línea"]'),
  ('prestamos', 'total_financiamiento', 'Monto financiado (capital del préstamo).', 'numeric', true, false, false, NULL, NULL, '[]', '["monto", "monto del préstamo", "total financiamiento", "capital", "importe", "valor"]'),
  ('prestamos', 'tasa_interes', 'Tasa de interés nominal anual (%).', 'numeric', true, false, false, NULL, NULL, '[]', '["tasa de interés", "tasa", "interés"]'),
  ('prestamos', 'modalidad_pago', 'Frecuencia de las cuotas.', 'text', true, false, false, NULL, NULL, '["MENSUAL", "QUINCENAL", "SEMANAL"]', '["modalidad de pago", "modalidad", "frecuencia de pago", "frecuencia", "cada cuánto paga", "cada cuánto", "cada cuanto pagan"]'),
  ('prestamos', 'numero_cuotas', 'Número de cuotas del plan.', 'integer', true, false, false, NULL, NULL, '[]', '["número de cuotas", "plazo", "cantidad de cuotas"]'),
  ('prestamos', 'cuota_periodo', 'Monto de cada cuota del plan.', 'numeric', true, false, false, NULL, NULL, '[]', '["cuota del período", "valor de la cuota", "monto de la cuota", "cuota"]'),
  ('prestamos', 'fecha_requerimiento', 'Fecha en que se pidió el préstamo.', 'date', true, true, false, NULL, NULL, '[]', '["fecha de solicitud", "fecha de requerimiento", "fecha", "solicitados", "solicitadas", "se solicitaron", "pidieron", "solicitó", "solicitaron", "recibidas", "recibida", "se recibieron", "recibieron", "llegaron", "entraron", "ingresaron"]'),
  ('prestamos', 'fecha_aprobacion', 'Fecha de aprobación (vacía si no se aprobó).', 'date', false, true, false, NULL, NULL, '[]', '["fecha de aprobación", "aprobaron", "aprobó", "aprobados", "aprobadas", "aprobado", "aprobada", "se aprobaron", "aprobación"]'),
  ('prestamos', 'estado', 'Estado del préstamo: APROBADO es activo, FINALIZADO pagado por completo.', 'text', true, true, false, NULL, NULL, '["DRAFT", "EN_REVISION", "APROBADO", "RECHAZADO", "FINALIZADO"]', '["estado", "estatus", "situación"]'),
  ('prestamos', 'analista', 'Analista de crédito que lleva el préstamo.', 'text', false, true, false, NULL, NULL, '[]', '["analista", "analistas", "analista de crédito", "oficial de crédito", "asesor"]'),
  ('prestamos', 'concesionario', 'Concesionario que vendió la moto o el vehículo.', 'text', false, true, false, NULL, NULL, '[]', '["concesionario", "concesionarios", "dealer", "agencia", "distribuidor"]'),
  ('prestamos', 'fecha_registro', 'Fecha en que se registró el préstamo.', 'timestamptz', true, false, false, NULL, NULL, '[]', '["fecha de registro"]'),
  ('prestamos', 'observaciones', 'Observaciones del analista.', 'text', false, false, false, NULL, NULL, '[]', '["observaciones"]'),
  ('cuotas', 'id', 'Identificador interno de la cuota.', 'integer', true, true, false, NULL, NULL, '[]', '[]'),
  ('cuotas', 'prestamo_id', 'Préstamo al que pertenece la cuota.', 'integer', true, true, true, 'prestamos', 'id', '[]', '[]'),
  ('cuotas', 'numero_cuota', 'Número de la cuota dentro del plan (1, 2, ...).', 'integer', true, true, false, NULL, NULL, '[]', '["número de cuota", "número de la cuota"]'),
  ('cuotas', 'fecha_vencimiento', 'Fecha en que vence la cuota.', 'date', true, true, false, NULL, NULL, '[]', '["fecha de vencimiento", "vencimiento", "vence", "vencen", "vencerán", "vencimientos", "venciendo", "que vencen", "fecha"]'),
  ('cuotas', 'monto_cuota', 'Monto total de la cuota (capital más interés).', 'numeric', true, false, false, NULL, NULL, '[]', '["monto", "monto de la cuota", "valor de la cuota", "importe"]'),
  ('cuotas', 'monto_capital', 'Parte de capital de la cuota.', 'numeric', true, false, false, NULL, NULL, '[]', '["capital", "monto de capital"]'),
  ('cuotas', 'monto_interes', 'Parte de interés de la cuota.', 'numeric', true, false, false, NULL, NULL, '[]', '["interés de la cuota", "monto de interés", "intereses"]'),
  ('cuotas', 'saldo_capital_inicial', 'Capital adeudado antes de la cuota.', 'numeric', true, false, false, NULL, NULL, '[]', '["saldo de capital inicial"]'),
  ('cuotas', 'saldo_capital_final', 'Capital adeudado después de la cuota.', 'numeric', true, false, false, NULL, NULL, '[]', '["saldo de capital", "saldo de capital final"]'),
  ('cuotas', 'total_pagado', 'Lo pagado de la cuota hasta hoy.', 'numeric', true, false, false, NULL, NULL, '[]', '["total pagado", "abonado"]'),
  ('cuotas', 'fecha_pago', 'Fecha en que la cuota quedó pagada por completo.', 'date', false, false, false, NULL, NULL, '[]', '["fecha de pago", "pagadas", "pagaron", "se pagaron"]'),
  ('cuotas', 'dias_mora', 'Días de atraso de la cuota.', 'integer', true, true, false, NULL, NULL, '[]', '["días de mora", "días de atraso", "días de retraso", "días vencidos", "días en mora", "atraso"]'),
  ('cuotas', 'estado', 'Estado de la cuota.', 'text', true, true, false, NULL, NULL, '["PENDIENTE", "PAGADO", "PARCIAL", "ATRASADO", "ADELANTADO"]', '["estado", "estatus", "situación"]'),
  ('pagos', 'id', 'Identificador del pago.', 'integer', true, true, false, NULL, NULL, '[]', '["número de pago"]'),
  ('pagos', 'prestamo_id', 'Préstamo al que se aplicó el pago.', 'integer', true, true, true, 'prestamos', 'id', '[]', '[]'),
  ('pagos', 'cliente_id', 'Cliente que pagó.', 'integer', true, true, true, 'clientes', 'id', '[]', '[]'),
  ('pagos', 'cuota_id', 'Cuota a la que se aplicó el pago (si se aplicó a una).', 'integer', false, true, true, 'cuotas', 'id', '[]', '[]'),
  ('pagos', 'fecha_pago', 'Fecha en que se recibió el pago.', 'date', true, true, false, NULL, NULL, '[]', '["fecha de pago", "fecha", "recibidos", "recibimos", "recibido", "se recibieron", "pagaron", "pagó", "cobrados", "cobramos", "llegaron", "nos llegaron", "entraron"]'),
  ('pagos', 'monto_pagado', 'Monto recibido.', 'numeric', true, false, false, NULL, NULL, '[]', '["monto", "monto pagado", "importe", "valor", "cantidad pagada"]'),
  ('pagos', 'metodo_pago', 'Medio con que se pagó.', 'text', true, true, false, NULL, NULL, '["TRANSFERENCIA", "EFECTIVO", "PAGO_MOVIL", "DEPOSITO"]', '["método de pago", "metodo de pago", "forma de pago", "medio de pago", "método", "canal de pago"]'),
  ('pagos', 'institucion_bancaria', 'Banco del pago (vacío en efectivo).', 'text', false, false, false, NULL, NULL, '[]', '["banco", "bancos", "institución bancaria", "entidad bancaria"]'),
  ('pagos', 'numero_documento', 'Número de referencia del comprobante.', 'text', false, false, false, NULL, NULL, '[]', '["referencia", "número de referencia", "comprobante", "número de documento"]'),
  ('pagos', 'conciliado', 'Si el pago ya se concilió con el banco.', 'boolean', true, false, false, NULL, NULL, '[]', '["conciliado", "conciliados"]'),
  ('pagos', 'fecha_registro', 'Fecha en que se registró el pago en el sistema.', 'timestamptz', true, false, false, NULL, NULL, '[]', '["fecha de registro"]'),
  ('pagos', 'usuario_registro', 'Usuario que registró el pago.', 'text', false, false, false, NULL, NULL, '[]', '["registrado por", "usuario que registró", "usuario", "registró el usuario", "cajero", "cajera"]')
ON CONFLICT (tabla, campo) DO NOTHING;

-- Entities: campo_relacionado is the column that names one row in an answer.
UPDATE ai_diccionario_semantico SET campo_relacionado = 'nombres' WHERE palabra = 'cliente';
UPDATE ai_diccionario_semantico SET campo_relacionado = 'id' WHERE palabra = 'préstamo';
UPDATE ai_diccionario_semantico SET campo_relacionado = 'numero_cuota' WHERE palabra = 'cuota';
UPDATE ai_diccionario_semantico SET campo_relacionado = 'id' WHERE palabra = 'pago';
-- How staff name the entities in data questions, kept apart from the entities' own entries (categoria
-- 'consulta'): document search does not widen a question with them.
INSERT INTO ai_diccionario_semantico (palabra, definicion, categoria, tabla_relacionada, campo_relacionado, sinonimos) VALUES
  ('clienta', 'Cliente (como se nombra en las preguntas).', 'consulta', 'clientes', 'nombres', '[]'),
  ('solicitud de crédito', 'Préstamo (como se nombra en las preguntas).', 'consulta', 'prestamos', 'id',
   '["préstamos", "créditos", "solicitudes", "solicitud de financiamiento", "cartera", "operación", "operaciones", "ptmo", "ptmos", "pmo", "prest", "cred"]'),
  ('cobro', 'Pago recibido (como se nombra en las preguntas).', 'consulta', 'pagos', 'id', '["cobros", "abonos", "pagos"]')
ON CONFLICT (palabra) DO NOTHING;
-- Column words live in ai_definiciones_campos.sinonimos; these entries name a column already.
UPDATE ai_diccionario_semantico SET categoria = 'campo'
 WHERE palabra IN ('analista', 'concesionario', 'cédula', 'ingreso', 'tasa de interés', 'plazo');
UPDATE ai_diccionario_semantico SET campo_relacionado = NULL WHERE palabra IN ('solicitud', 'aprobación', 'mora');

-- Values of a column as business words.
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.producto = ''MOTO''' WHERE palabra = 'moto';
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.producto = ''VEHICULO''' WHERE palabra = 'vehículo';
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.producto = ''PERSONAL''',
  sinonimos = sinonimos || '["personal", "personales", "préstamos personales"]'::jsonb WHERE palabra = 'préstamo personal';
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.producto = ''COMERCIAL''',
  sinonimos = sinonimos || '["comercial", "comerciales"]'::jsonb WHERE palabra = 'crédito comercial';
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.modalidad_pago = ''SEMANAL''' WHERE palabra = 'semanal';
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.modalidad_pago = ''QUINCENAL''' WHERE palabra = 'quincenal';
UPDATE ai_diccionario_semantico SET condicion_sql = 'prestamos.modalidad_pago = ''MENSUAL''' WHERE palabra = 'mensual';
UPDATE ai_diccionario_semantico SET condicion_sql = 'pagos.metodo_pago = ''PAGO_MOVIL''' WHERE palabra = 'pago móvil';
UPDATE ai_diccionario_semantico SET condicion_sql = 'pagos.metodo_pago = ''TRANSFERENCIA''' WHERE palabra = 'transferencia';
UPDATE ai_diccionario_semantico SET condicion_sql = 'pagos.metodo_pago = ''DEPOSITO''' WHERE palabra = 'depósito';
UPDATE ai_diccionario_semantico SET condicion_sql = 'pagos.metodo_pago = ''EFECTIVO''' WHERE palabra = 'efectivo';
UPDATE ai_diccionario_semantico SET condicion_sql = 'clientes.cedula LIKE ''J%''',
  sinonimos = sinonimos || '["empresas", "rif", "jurídico", "jurídicos"]'::jsonb WHERE palabra = 'empresa';
UPDATE ai_diccionario_semantico SET categoria = 'metrica', tabla_relacionada = 'cuotas',
  expresion_sql = 'SUM(cuotas.monto_cuota - cuotas.total_pagado)', condicion_sql = 'cuotas.estado <> ''PAGADO''',
  sinonimos = '["saldo", "deuda pendiente", "lo que debe", "monto adeudado", "saldo adeudado", "deuda total", "debe", "deben", "adeuda", "adeudan", "deuda", "falta por pagar", "le queda por pagar", "saldo por cobrar", "por cobrar"]'::jsonb
  WHERE palabra = 'saldo pendiente';

-- The domain terms of the business, with their exact SQL meaning.
INSERT INTO ai_diccionario_semantico (palabra, definicion, categoria, tabla_relacionada, campo_relacionado, condicion_sql, expresion_sql, sinonimos) VALUES
  ('cuota vencida', 'Cuota con fecha de vencimiento pasada y no pagada (ATRASADO o PARCIAL).', 'filtro', 'cuotas', NULL,
   'cuotas.fecha_vencimiento < CURRENT_DATE AND cuotas.estado IN (''ATRASADO'', ''PARCIAL'')', NULL,
   '["vencida", "vencidas", "en mora", "morosa", "morosas", "atrasada", "atrasadas", "impaga", "impagas", "con atraso", "cuotas en mora", "vencido", "vencidos", "mora", "morosidad", "atraso", "atrasos", "retraso", "retrasos"]'),
  ('cuota pendiente', 'Cuota que aún no vence y no está pagada por completo.', 'filtro', 'cuotas', NULL,
   'cuotas.estado IN (''PENDIENTE'', ''ADELANTADO'')', NULL, '["pendiente", "pendientes", "por vencer", "no vencida", "no vencidas"]'),
  ('cuota sin pagar', 'Cuota que no está pagada por completo, vencida o no.', 'filtro', 'cuotas', NULL,
   'cuotas.estado <> ''PAGADO''', NULL, '["sin pagar", "por pagar", "le quedan", "le faltan", "quedan por pagar", "faltan por pagar", "restantes", "no pagadas", "no pagada", "no se han pagado", "no se ha pagado", "no han sido pagadas", "no ha sido pagada", "pendientes de pago", "no están pagadas", "no está pagada", "todavía no están pagadas", "aún no pagadas"]'),
  ('cuota pagada', 'Cuota pagada por completo.', 'filtro', 'cuotas', NULL, 'cuotas.estado = ''PAGADO''', NULL, '["pagada", "pagadas", "cancelada", "canceladas", "saldada", "saldadas"]'),
  ('pago parcial', 'Cuota vencida con una parte pagada (PARCIAL).', 'filtro', 'cuotas', NULL, 'cuotas.estado = ''PARCIAL''', NULL, '["parcial", "parciales", "pagos parciales", "pagada en parte", "abono parcial"]'),
  ('préstamo activo', 'Préstamo aprobado y desembolsado que se está pagando (APROBADO).', 'filtro', 'prestamos', NULL,
   'prestamos.estado = ''APROBADO''', NULL, '["activo", "activos", "activa", "activas", "vigente", "vigentes", "cartera activa", "en curso"]'),
  ('préstamo en mora', 'Préstamo activo con al menos una cuota vencida.', 'filtro', 'prestamos', NULL,
   'prestamos.estado = ''APROBADO'' AND EXISTS (SELECT 1 FROM cuotas mc WHERE mc.prestamo_id = prestamos.id AND mc.fecha_vencimiento < CURRENT_DATE AND mc.estado IN (''ATRASADO'', ''PARCIAL''))', NULL,
   '["en mora", "moroso", "morosos", "morosa", "morosas", "atrasado", "atrasados", "vencido", "vencidos", "con atraso", "con mora", "con cuotas vencidas", "mora", "morosidad", "atraso"]'),
  ('cliente moroso', 'Cliente con al menos un préstamo en mora.', 'filtro', 'clientes', NULL,
   'EXISTS (SELECT 1 FROM prestamos mp JOIN cuotas mc ON mc.prestamo_id = mp.id WHERE mp.cliente_id = clientes.id AND mp.estado = ''APROBADO'' AND mc.fecha_vencimiento < CURRENT_DATE AND mc.estado IN (''ATRASADO'', ''PARCIAL''))', NULL,
   '["moroso", "morosos", "morosa", "morosas", "en mora", "con mora", "atrasado", "atrasados", "con atraso", "deudores morosos", "mora", "morosidad", "atraso"]'),
  ('préstamo financiado', 'Préstamo desembolsado: APROBADO o FINALIZADO.', 'filtro', 'prestamos', NULL,
   'prestamos.estado IN (''APROBADO'', ''FINALIZADO'')', NULL,
   '["financiado", "financiados", "financiada", "financiadas", "desembolsado", "desembolsados", "otorgado", "otorgados", "otorgada", "otorgadas", "otorgan", "se otorgan", "colocado", "colocados", "financiaron", "financió", "financian"]'),
  ('en revisión', 'Solicitud en evaluación (EN_REVISION).', 'filtro', 'prestamos', NULL, 'prestamos.estado = ''EN_REVISION''', NULL, '["en revision", "en evaluación", "en estudio", "por aprobar", "en análisis"]'),
  ('borrador', 'Solicitud sin enviar (DRAFT).', 'filtro', 'prestamos', NULL, 'prestamos.estado = ''DRAFT''', NULL, '["draft", "borradores", "sin enviar"]'),
  ('rechazado', 'Solicitud negada (RECHAZADO).', 'filtro', 'prestamos', NULL, 'prestamos.estado = ''RECHAZADO''', NULL, '["rechazada", "rechazados", "rechazadas", "negado", "negados", "negada", "negadas"]'),
  ('finalizado', 'Préstamo pagado por completo (FINALIZADO).', 'filtro', 'prestamos', NULL, 'prestamos.estado = ''FINALIZADO''', NULL, '["finalizados", "finalizada", "finalizadas", "pagado por completo", "cancelado", "cancelados", "liquidado", "liquidados", "terminado", "terminados"]'),
  ('extranjero', 'Cliente con cédula de extranjero (E).', 'filtro', 'clientes', NULL, 'clientes.cedula LIKE ''E%''', NULL, '["extranjeros", "extranjera", "extranjeras", "cédula e"]'),
  ('venezolano', 'Cliente con cédula venezolana (V).', 'filtro', 'clientes', NULL, 'clientes.cedula LIKE ''V%''', NULL, '["venezolanos", "venezolana", "venezolanas", "cédula v", "persona natural", "personas naturales"]'),
  ('conciliado', 'Pago ya conciliado con el banco.', 'filtro', 'pagos', NULL, 'pagos.conciliado', NULL, '["conciliados", "conciliada", "conciliadas"]'),
  ('no conciliado', 'Pago aún sin conciliar.', 'filtro', 'pagos', NULL, 'NOT pagos.conciliado', NULL, '["sin conciliar", "no conciliados", "por conciliar", "pendientes de conciliar"]'),
  ('monto vencido', 'Lo que falta por pagar de las cuotas vencidas.', 'metrica', 'cuotas', NULL,
   'cuotas.fecha_vencimiento < CURRENT_DATE AND cuotas.estado IN (''ATRASADO'', ''PARCIAL'')', 'SUM(cuotas.monto_cuota - cuotas.total_pagado)',
   '["saldo en mora", "monto en mora", "deuda vencida", "monto atrasado", "saldo vencido", "deuda en mora", "deben en mora", "debe en mora", "en mora deben", "mora total", "total en mora", "saldo moroso", "cartera vencida", "monto moroso", "deben vencido", "debe vencido", "adeudan vencido", "lo vencido", "monto de mora"]'),
  ('monto cobrado', 'Dinero recibido en pagos (suma de monto_pagado).', 'metrica', 'pagos', NULL, NULL, 'SUM(pagos.monto_pagado)',
   '["cobrado", "cobramos", "cobró", "cobrada", "recaudado", "recaudamos", "recaudó", "recaudación", "recibido", "recibimos", "ingresado", "pagado", "pagaron", "han pagado", "nos han pagado", "ha pagado", "pagó", "monto pagado", "total pagado", "total cobrado", "cobranza", "cobros", "recaudo", "lo recaudado", "lo cobrado"]'),
  ('monto desembolsado', 'Capital entregado en préstamos financiados (APROBADO o FINALIZADO).', 'metrica', 'prestamos', NULL,
   'prestamos.estado IN (''APROBADO'', ''FINALIZADO'')', 'SUM(prestamos.total_financiamiento)',
   '["desembolsado", "desembolsamos", "hemos desembolsado", "desembolsó", "se desembolsó", "desembolsaron", "otorgado", "otorgamos", "hemos otorgado", "se otorgó", "otorgaron", "financiado", "financiamos", "hemos financiado", "se financió", "monto financiado", "total financiado", "prestado", "colocado", "monto colocado"]'),
  ('tasa de morosidad', 'Cuotas vencidas sobre cuotas con vencimiento pasado, en porcentaje.', 'metrica', 'cuotas', NULL,
   'cuotas.fecha_vencimiento < CURRENT_DATE',
   'ROUND(100.0 * COUNT(*) FILTER (WHERE cuotas.estado IN (''ATRASADO'', ''PARCIAL'')) / NULLIF(COUNT(*), 0), 2)',
   '["índice de morosidad", "porcentaje de morosidad", "morosidad de la cartera", "tasa de mora", "índice de mora", "ratio de morosidad"]'),
  ('días de atraso', 'Días de atraso de un cliente o préstamo: el mayor dias_mora de sus cuotas vencidas.', 'metrica', 'cuotas', NULL,
   'cuotas.fecha_vencimiento < CURRENT_DATE AND cuotas.estado IN (''ATRASADO'', ''PARCIAL'')', 'MAX(cuotas.dias_mora)',
   '["días de mora", "días en mora", "días de retraso", "días vencido", "días vencidos", "días atrasado"]'),
  ('tipo de documento', 'Letra de la cédula: V venezolano, E extranjero, J empresa (RIF).', 'campo', 'clientes', NULL, NULL,
   'LEFT(clientes.cedula, 1)', '["tipo de cédula", "letra de la cédula", "tipo de documento de identidad", "nacionalidad"]'),
  ('último pago', 'El pago más reciente.', 'seleccion', 'pagos', NULL, NULL, 'pagos.fecha_pago DESC, pagos.id DESC',
   '["ultimo pago", "último abono", "pago más reciente", "último cobro", "pagó por última vez"]'),
  ('primer pago', 'El pago más antiguo.', 'seleccion', 'pagos', NULL, NULL, 'pagos.fecha_pago, pagos.id', '["primer abono", "pago más antiguo"]'),
  ('próxima cuota', 'La siguiente cuota por vencer que no está pagada.', 'seleccion', 'cuotas', NULL,
   'cuotas.estado <> ''PAGADO'' AND cuotas.fecha_vencimiento >= CURRENT_DATE', 'cuotas.fecha_vencimiento, cuotas.id',
   '["proxima cuota", "siguiente cuota", "próximo vencimiento", "próximo pago", "cuota siguiente", "próxima a vencer"]'),
  ('última cuota', 'La cuota con el vencimiento más lejano del plan.', 'seleccion', 'cuotas', NULL, NULL, 'cuotas.fecha_vencimiento DESC, cuotas.id DESC',
   '["ultima cuota", "cuota final"]'),
  ('último préstamo', 'El préstamo pedido más recientemente.', 'seleccion', 'prestamos', NULL, NULL, 'prestamos.fecha_requerimiento DESC, prestamos.id DESC',
   '["ultimo prestamo", "préstamo más reciente", "último crédito"]')
ON CONFLICT (palabra) DO NOTHING;

-- Columns whose distinct values the engine reads from the live data, so "la analista María Pérez"
-- or "Empire Keeway Caracas" are understood as values of a column (the value catalogue).
ALTER TABLE ai_definiciones_campos ADD COLUMN es_catalogo boolean NOT NULL DEFAULT false;
UPDATE ai_definiciones_campos SET es_catalogo = true
 WHERE (tabla, campo) IN (('prestamos', 'analista'), ('prestamos', 'concesionario'), ('pagos', 'institucion_bancaria'), ('clientes', 'ocupacion'));

-- Threads: a follow-up question ("¿y cuántas cuotas le quedan?") is read against the earlier
-- questions of its thread; hilo_id is the id of the thread's first conversation.
ALTER TABLE conversaciones_ai ADD COLUMN hilo_id integer REFERENCES conversaciones_ai (id) ON DELETE SET NULL;
CREATE INDEX conversaciones_ai_hilo_idx ON conversaciones_ai (hilo_id, id) WHERE hilo_id IS NOT NULL;

-- The date a figure belongs to when a question names a period ("desembolsado en marzo" is by approval
-- date, "cobrado este mes" by payment date): campo_relacionado of metrics and filters.
UPDATE ai_diccionario_semantico SET campo_relacionado = 'fecha_aprobacion' WHERE palabra IN ('monto desembolsado', 'préstamo financiado');
UPDATE ai_diccionario_semantico SET campo_relacionado = 'fecha_pago' WHERE palabra = 'monto cobrado';

-- An edit to the dictionary or the field definitions, however it is made (API, CLI or plain SQL),
-- stamps actualizado_en: the engine's cached catalogue notices the change on the next question.
CREATE FUNCTION rc_marcar_actualizado() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.actualizado_en := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER ai_diccionario_semantico_actualizado BEFORE UPDATE ON ai_diccionario_semantico
  FOR EACH ROW EXECUTE FUNCTION rc_marcar_actualizado();
CREATE TRIGGER ai_definiciones_campos_actualizado BEFORE UPDATE ON ai_definiciones_campos
  FOR EACH ROW EXECUTE FUNCTION rc_marcar_actualizado();

-- The chat provider and model are chosen by environment (RAPICREDIT_CHAT_PROVEEDOR, RAPICREDIT_CHAT_MODELO,
-- OPENAI_API_KEY), like the embeddings: a key must not live in the database, and nobody read these rows.
DELETE FROM configuracion_sistema WHERE categoria = 'AI' AND clave IN ('proveedor_chat', 'modelo_chat');

-- Client names by word, without accents ("oscar escalona" finds "Óscar Escalona Medina"): a full-text
-- index (core PostgreSQL, no extension) instead of scanning every name (0.2-0.6 s at 100,000 clients).
CREATE INDEX clientes_nombres_palabras_idx ON clientes USING gin (to_tsvector('simple', rc_sin_acentos(nombres)));
