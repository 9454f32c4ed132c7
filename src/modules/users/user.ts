/** The two staff roles; ADMIN manages users and the assistant, ANALISTA works the loan book. */
export const roles = ['ADMIN', 'ANALISTA'] as const;

/** A staff role. */
export type Role = (typeof roles)[number];

/** A user as the rest of the system sees it: never carries the password hash. */
export interface User {
  id: number;
  email: string;
  nombre: string;
  apellido: string;
  rol: Role;
  activo: boolean;
  creado_en: Date;
  ultimo_acceso: Date | null;
}

/** The `users` columns that make up a {@link User}; password_hash is deliberately absent. */
export const userColumns = 'id, email, nombre, apellido, rol, activo, creado_en, ultimo_acceso';

/** Emails are compared and stored trimmed and lowercase (the table's check constraint demands it). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
