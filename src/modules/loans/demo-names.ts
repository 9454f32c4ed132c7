// Name lists for the demo book: common Venezuelan first names and surnames, so that searches by
// name ("clientes de apellido Useche") behave as they would on real data. Kept as word lists so
// the formatter does not spread them over hundreds of lines.

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

/** Male first names. */
export const MALE_NAMES = words(`
  José Luis Carlos Juan Jesús Miguel Pedro Antonio Francisco Manuel Rafael Alejandro Daniel David Jorge
  Ricardo Eduardo Fernando Andrés Gabriel Víctor Óscar Javier Héctor Ramón Alberto Enrique Gustavo Leonardo
  Orlando Wilmer Yorman Jhonny Richard Freddy Néstor Armando Julio César Diego Samuel Santiago Sebastián
  Moisés Elías Rubén Ángel Edgar Nelson Omar Simón Reinaldo Alexis Kevin Yonathan Darwin Wilfredo Gregorio
  Ernesto Asdrúbal
`);

/** Female first names. */
export const FEMALE_NAMES = words(`
  María Ana Carmen Rosa Luisa Isabel Gabriela Andreína Daniela Valentina Carolina Alejandra Patricia Yelitza
  Yusmary Marisol Milagros Beatriz Elena Josefina Teresa Gloria Lucía Victoria Mariana Fabiola Raquel Sofía
  Paola Verónica Adriana Karina Yuleisy Dayana Nathaly Génesis Oriana Rosmary Zuleima Belkis Migdalia Nancy
  Mercedes Francis Yolanda Marbelis Aura Xiomara Irene Lorena Esther Claudia Susana Norelys Yaneth Mayerlin
  Virginia Desirée Thais
`);

/** Surnames (a person carries two: father's then mother's). */
export const SURNAMES = words(`
  González Rodríguez Pérez Hernández García Martínez López Sánchez Ramírez Díaz Torres Rojas Flores Moreno
  Álvarez Romero Medina Castillo Gutiérrez Useche Contreras Mendoza Suárez Blanco Guerrero Rivas Chacón Briceño
  Marcano Salazar Figueroa Carrasco Parra Colmenares Villarroel Bolívar Zambrano Aponte Rangel Vargas Peña
  Silva Ortega Castro Delgado Márquez Acosta Montilla Linares Quintero Bastidas Sosa Bermúdez Pacheco Mora
  Camacho Cordero Escalona Mujica Guevara Ochoa Rondón Requena Tovar Vielma Urdaneta Gil Padilla Fuentes
  Cabrera Navas Herrera Lugo Jiménez Nieves Pinto Ruiz Aguilar Arias Bracho Cárdenas Durán Farías Goitía
  Istúriz Lozada Meléndez Nava Orozco Piñango Quiroz Rivero Sequera Toro Uzcátegui Vásquez Yánez Zerpa Brito
  Perdomo
`);

/** Lower-case ASCII form of a name, for e-mail addresses ("Uzcátegui" → "uzcategui"). */
export function asciiLower(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}
