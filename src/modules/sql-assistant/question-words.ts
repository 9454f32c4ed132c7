/**
 * Function words of questions that carry no data meaning of their own (how people ask, not what),
 * after folding and singular form. They are never reported as "not understood".
 */
export const FILLER_WORDS = new Set(
  `dame deme dime digame indica indicame indiqueme indicanos muestra muestrame muestreme muestranos mostrar ensename
  lista listar listame listado listados quiero quisiera necesito saber conocer ver consultar consulta buscar busca
  favor gracias cual que quien como cuando donde hay habia tenemos tiene tienen tenga tengan tengo teneis actual
  actualmente ahora ahorita momento total todo toda dinero plata informacion dato detalle cifra cifras cuanto cuanta numero
  nro n no id registrado registrada registro registrados sistema base nuestro nuestra nuestros nuestras nos hemos
  le les su sus mi mis ese esa eso aqui alli general dia hola buenas buenos tarde tardes noche noches por para cada
  segun agrupado agrupada agrupar desglosado desglose separado dividido entre mas menos mayor menor top primer primero
  primera principal principale mejor peor vieja viejo antigua antiguo reciente grande pequeno alto alta bajo baja
  promedio media medio promedia suma suman sumar sumado maximo maxima minimo minima porcentaje proporcion porcentual
  parte cantidad conteo contar cuenta cuentan cuantos cuantas esta estan es son fue fueron sera seran ha han he
  fueron se sido estado estuvo hace puede pueden podria podrias ser va van vamos tipo clase lo la el los las un una
  unos unas al del de en con sin y e o u a ante bajo cabe desde hacia hasta mediante sobre tras durante seguir sigue
  siguiente debe deben tienen hoy tambien ademas ya aun todavia solo solamente cerca alrededor aproximadamente
  exactamente respectivamente cual cuales cuyo cuya cuyos cuyas quienes dicho dicha mismo misma falta faltan queda
  quedan corresponde corresponden representa representan ubicando ubicar segun llega llegan uno una cada`.split(/\s+/),
);

/** Words that ask for a count of rows. */
export const COUNT_WORDS = new Set(['cuanto', 'cuanta', 'cantidad', 'numero', 'conteo', 'contar', 'cuenta']);
/** Words that ask for a sum. */
export const SUM_WORDS = new Set([
  'total',
  'suma',
  'suman',
  'sumar',
  'sumado',
  'cuanto',
  'cuanta',
  'acumulado',
  'monto',
]);
/** Words that ask for an average. */
export const AVERAGE_WORDS = new Set(['promedio', 'media', 'promedia', 'medio', 'promediar']);
/** Words that ask for a share in percent. */
export const SHARE_WORDS = new Set(['porcentaje', 'proporcion', 'porcentual', 'parte', 'fraccion']);
/** After "más"/"mayor": the highest value; after "más"/"menor": the lowest. */
export const HIGH_WORDS = new Set(['alto', 'alta', 'grande', 'elevado', 'elevada', 'caro', 'cara']);
export const LOW_WORDS = new Set(['bajo', 'baja', 'pequeno', 'pequena', 'chico', 'chica', 'barato', 'barata']);
/** Words that introduce a grouping ("por analista", "x producto", "cada mes", "según estado"). */
export const GROUP_WORDS = new Set([
  'por',
  'cada',
  'segun',
  'agrupado',
  'agrupada',
  'desglosado',
  'desglosada',
  'separado',
]);
/** Time grains a grouping can name. */
export const GRAIN_WORDS: Record<string, 'day' | 'week' | 'month' | 'year'> = {
  dia: 'day',
  semana: 'week',
  mes: 'month',
  ano: 'year',
};
/** Words after which the conditions of a share begin ("qué porcentaje de los préstamos activos *está* en mora"). */
export const SHARE_PIVOTS = new Set([
  'esta',
  'estan',
  'es',
  'son',
  'tiene',
  'tienen',
  'fue',
  'fueron',
  'se',
  'ha',
  'han',
  'que',
  'cuyo',
  'cuya',
  'cuyos',
  'cuyas',
  'con',
  'corresponde',
  'corresponden',
  'representa',
  'representan',
  'pertenece',
  'pertenecen',
]);
/** Words that turn the condition after them around ("sin contar las empresas", "excepto motos"). */
export const NEGATION_WORDS = new Set(['sin', 'excepto', 'salvo', 'excluyendo', 'excluir', 'no']);
/** Words of a request for rows rather than a figure. */
export const LIST_WORDS = new Set([
  'dame',
  'lista',
  'listar',
  'listado',
  'muestra',
  'muestrame',
  'cuales',
  'quienes',
  'detalle',
]);
/**
 * Words of a question about what is allowed or how things are done ("¿se puede...?", "¿cómo se...?",
 * "¿qué requisitos...?"): the policies answer those, not the loan book.
 */
export const NORMATIVE_WORDS = new Set([
  'puede',
  'pueden',
  'podemos',
  'puedo',
  'podria',
  'podrian',
  'debo',
  'debemos',
  'deberia',
  'deberian',
  'permite',
  'permiten',
  'permitido',
  'permitida',
  'obligatorio',
  'obligatoria',
  'requisito',
  'requiere',
  'requieren',
  'necesita',
  'necesitan',
  'procedimiento',
  'politica',
  'norma',
  'regla',
  'como',
  'pasa',
  'ocurre',
]);

/** Words that refer back to each row of what was just named ("de cada una", "cada uno"). */
export const EACH_WORDS = new Set(['uno', 'una']);
