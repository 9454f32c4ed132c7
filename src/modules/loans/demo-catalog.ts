// Business lists for the demo book: banks, dealers, occupations, company names and the loan
// officers. Weights follow rough market shares so aggregate questions give believable answers.
import { weightedPicker } from './random.ts';

/** Venezuelan banks, weighted by how often customers pay through them. */
export const pickBank = weightedPicker<string>([
  ['Banco de Venezuela', 24],
  ['Banesco', 22],
  ['Mercantil', 12],
  ['Provincial', 10],
  ['BNC', 7],
  ['Bancamiga', 6],
  ['Bicentenario', 5],
  ['Banco del Tesoro', 4],
  ['Banco Exterior', 3],
  ['Bancaribe', 3],
  ['Banco Plaza', 2],
  ['Banplus', 2],
  ['Banco Activo', 2],
  ['Venezolano de Crédito', 1],
  ['100% Banco', 1],
]);

/** Motorcycle dealers (concesionarios) that refer MOTO loans. */
export const MOTO_DEALERS: readonly string[] = [
  'Motos Bera Valencia',
  'Empire Keeway Maracay',
  'Suzuki Motos Lara',
  'Yamaha Motor Caracas',
  'MotoCentro Los Andes',
  'Haojue Oriente',
  'Motos Skygo Zulia',
  'Moto Repuestos y Ventas Guayana',
];

/** Car dealers (concesionarios) that refer VEHICULO loans. */
export const CAR_DEALERS: readonly string[] = [
  'Chery Autocentro Caracas',
  'Toyota Autoamérica Valencia',
  'Ford Automotriz Lara',
  'Chevrolet Maracaibo Motors',
  'Hyundai Zulia',
  'Autos Usados El Paraíso',
  'Renault Oriente Motors',
  'Multimarca Autos Guayana',
];

/** An occupation with the median monthly income (USD) of people who have it. */
export interface Occupation {
  name: string;
  medianIncome: number;
  minAge: number;
  maxAge: number;
}

const job = (name: string, medianIncome: number, weight: number, minAge = 20, maxAge = 66) =>
  [{ name, medianIncome, minAge, maxAge }, weight] as const;

/** Occupations of individual clients, weighted by how common they are among borrowers ('masculine|feminine'). */
export const pickOccupation = weightedPicker<Occupation>([
  job('Comerciante', 650, 10),
  job('Emprendedor|Emprendedora', 550, 5),
  job('Docente', 230, 6),
  job('Enfermero|Enfermera', 270, 4),
  job('Chofer', 380, 6),
  job('Mototaxista', 320, 5),
  job('Técnico de refrigeración|Técnica de refrigeración', 450, 2),
  job('Ingeniero|Ingeniera', 850, 3),
  job('Abogado|Abogada', 700, 2),
  job('Contador|Contadora', 650, 2),
  job('Médico|Médica', 950, 2, 25),
  job('Vendedor|Vendedora', 320, 6),
  job('Mecánico|Mecánica', 430, 4),
  job('Albañil', 300, 4),
  job('Electricista', 400, 3),
  job('Estilista', 330, 3),
  job('Funcionario público|Funcionaria pública', 190, 5),
  job('Obrero|Obrera', 220, 4),
  job('Secretario|Secretaria', 260, 3),
  job('Agricultor|Agricultora', 320, 2),
  job('Costurero|Costurera', 230, 2),
  job('Panadero|Panadera', 340, 2),
  job('Farmaceuta', 620, 1, 23),
  job('Cajero|Cajera', 230, 3, 18, 45),
  job('Repartidor|Repartidora', 280, 4, 18, 50),
  job('Programador|Programadora', 1200, 2, 20, 55),
  job('Odontólogo|Odontóloga', 900, 1, 25),
  job('Estudiante', 150, 2, 18, 25),
  job('Jubilado|Jubilada', 160, 3, 58, 80),
]);

/** The occupation's name in the client's grammatical gender ("Enfermero" / "Enfermera"). */
export function occupationName(occupation: Occupation, female: boolean): string {
  const [masculine = occupation.name, feminine = masculine] = occupation.name.split('|');
  return female ? feminine : masculine;
}

/** Occupation of every company client. */
export const COMPANY_OCCUPATION = 'Persona jurídica';

// '|'-separated so the formatter keeps these long lists compact.
const list = (text: string): readonly string[] => text.split('|');

/** Parts of company names: "Farmacia Costa Azul C.A.". */
export const COMPANY_KINDS = list(
  'Farmacia|Inversiones|Distribuidora|Comercial|Panadería|Ferretería|Transporte|Construcciones|Servicios|Agropecuaria|Bodegón|Autopartes|Repuestos|Textiles|Frigorífico|Tecnología',
);
/** Trade names used in company names. */
export const COMPANY_NAMES = list(
  'Costa Azul|El Sol|La Esperanza|Los Andes|San Rafael|Caribe|El Ávila|Don Pedro|La Fe|Santa Bárbara|Oriente|Las Mercedes|Araguaney|Doña Carmen|El Progreso|Tres Hermanos|Guayana|Del Lago|La Candelaria|Llano Alto',
);
/** Legal-form suffixes; some firms write it after a comma, which the CSV writer must quote. */
export const COMPANY_SUFFIXES: readonly string[] = [' C.A.', ' C.A.', ', C.A.', ' S.A.', ' F.P.'];

/** A loan officer: the name stored in prestamos.analista and the e-mail that registers payments. */
export interface Analyst {
  name: string;
  email: string;
}

/** Candidate loan officers; the seed decides how many of them (5 to 8) work the book. */
export const ANALYSTS: readonly Analyst[] = [
  ['María Useche', 'museche'],
  ['José Rivas', 'jrivas'],
  ['Carolina Méndez', 'cmendez'],
  ['Luis Briceño', 'lbriceno'],
  ['Andreína Salazar', 'asalazar'],
  ['Rafael Colmenares', 'rcolmenares'],
  ['Gabriela Parra', 'gparra'],
  ['Jesús Marcano', 'jmarcano'],
  ['Daniela Zambrano', 'dzambrano'],
  ['Orlando Villarroel', 'ovillarroel'],
  ['Patricia Chacón', 'pchacon'],
  ['Víctor Aponte', 'vaponte'],
].map(([name, user]) => ({ name: name as string, email: `${user}@rapicredit.com` }));

/** The cash desk account that registers cash and deposit payments. */
export const CASH_DESK_EMAIL = 'caja@rapicredit.com';

/** Occasional free-text notes on a client. */
export const CLIENT_NOTES: readonly string[] = [
  'Prefiere contacto por WhatsApp.',
  'Referido por otro cliente.',
  'Actualizó sus datos de contacto.',
  'Trabaja por turnos; llamar en la tarde.',
  'Cliente recurrente, buen historial.',
  'Solicita recordatorio antes del vencimiento.',
];
