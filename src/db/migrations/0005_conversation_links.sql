-- Conversations are looked up by the entity they are about ("¿qué se preguntó del préstamo 94?"),
-- and replacing the loan book clears these links; both need the link columns indexed.
CREATE INDEX conversaciones_ai_cliente_idx ON conversaciones_ai (cliente_id) WHERE cliente_id IS NOT NULL;
CREATE INDEX conversaciones_ai_prestamo_idx ON conversaciones_ai (prestamo_id) WHERE prestamo_id IS NOT NULL;
CREATE INDEX conversaciones_ai_cuota_idx ON conversaciones_ai (cuota_id) WHERE cuota_id IS NOT NULL;
CREATE INDEX conversaciones_ai_pago_idx ON conversaciones_ai (pago_id) WHERE pago_id IS NOT NULL;
