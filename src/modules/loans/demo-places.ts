// Places for the demo book: cities with their state, weighted roughly by population, and the
// address patterns Venezuelan forms show ("Av. Libertador, Casa Nro. 42, Valencia, Edo. Carabobo").
import type { SeededRandom } from './random.ts';
import { weightedPicker } from './random.ts';

interface City {
  name: string;
  /** As written at the end of an address: "Edo. Carabobo" or "Distrito Capital". */
  state: string;
  /** Landline area code. */
  areaCode: string;
}

const city = (name: string, state: string, areaCode: string): City => ({
  name,
  state: state === 'Distrito Capital' ? state : `Edo. ${state}`,
  areaCode,
});

/** Cities of residence, weighted by population. */
export const pickCity = weightedPicker<City>([
  [city('Caracas', 'Distrito Capital', '0212'), 22],
  [city('Petare', 'Miranda', '0212'), 6],
  [city('Los Teques', 'Miranda', '0212'), 3],
  [city('Guarenas', 'Miranda', '0212'), 3],
  [city('Maracaibo', 'Zulia', '0261'), 14],
  [city('Cabimas', 'Zulia', '0264'), 3],
  [city('Valencia', 'Carabobo', '0241'), 12],
  [city('Puerto Cabello', 'Carabobo', '0242'), 2],
  [city('Maracay', 'Aragua', '0243'), 8],
  [city('Barquisimeto', 'Lara', '0251'), 9],
  [city('Carora', 'Lara', '0252'), 1],
  [city('Ciudad Guayana', 'Bolívar', '0286'), 6],
  [city('Ciudad Bolívar', 'Bolívar', '0285'), 3],
  [city('Maturín', 'Monagas', '0291'), 4],
  [city('Barcelona', 'Anzoátegui', '0281'), 4],
  [city('Puerto La Cruz', 'Anzoátegui', '0281'), 3],
  [city('Cumaná', 'Sucre', '0293'), 3],
  [city('Mérida', 'Mérida', '0274'), 3],
  [city('San Cristóbal', 'Táchira', '0276'), 4],
  [city('Barinas', 'Barinas', '0273'), 3],
  [city('Acarigua', 'Portuguesa', '0255'), 2],
  [city('Guanare', 'Portuguesa', '0257'), 1],
  [city('San Felipe', 'Yaracuy', '0254'), 1],
  [city('Coro', 'Falcón', '0268'), 2],
  [city('Punto Fijo', 'Falcón', '0269'), 2],
  [city('Porlamar', 'Nueva Esparta', '0295'), 2],
  [city('San Juan de los Morros', 'Guárico', '0246'), 1],
  [city('Valle de la Pascua', 'Guárico', '0235'), 1],
  [city('Valera', 'Trujillo', '0271'), 2],
  [city('San Fernando de Apure', 'Apure', '0247'), 1],
  [city('La Guaira', 'La Guaira', '0212'), 2],
  [city('San Carlos', 'Cojedes', '0258'), 1],
]);

const STREETS = [
  'Av. Libertador',
  'Av. Bolívar',
  'Av. Universidad',
  'Av. Las Delicias',
  'Calle Páez',
  'Calle Sucre',
  'Calle Miranda',
  'Carrera 19',
  'Av. 5 de Julio',
  'Calle Real',
  'Av. Intercomunal',
  'Av. Fuerzas Armadas',
  'Av. Andrés Bello',
  'Calle Urdaneta',
  'Av. Lara',
  'Av. Venezuela',
  'Av. Cedeño',
  'Calle Ayacucho',
  'Av. Principal',
  'Calle Comercio',
  'Av. Rómulo Gallegos',
  'Calle Negro Primero',
];
const NEIGHBOURHOODS = [
  'Urb. La Floresta',
  'Urb. Los Samanes',
  'Urb. El Trigal',
  'Urb. Prebo',
  'Urb. La Isabelica',
  'Sector El Carmen',
  'Barrio Unión',
  'Urb. Las Acacias',
  'Urb. Santa Rosa',
  'Res. Los Próceres',
  'Urb. San José',
  'Sector La Victoria',
  'Urb. Los Naranjos',
  'Barrio San Blas',
  'Urb. El Paraíso',
  'Sector Las Palmas',
];
const BUILDINGS = [
  'Res. Los Pinos',
  'Edif. Araguaney',
  'Res. Canaima',
  'Torre Sur',
  'Edif. El Parque',
  'Res. Guaicaipuro',
  'Edif. Miramar',
  'Res. Los Jardines',
];

/** A street address ending in city and state, and the city's landline area code. */
export function demoAddress(random: SeededRandom): { address: string; areaCode: string } {
  const place = pickCity(random);
  const where = `${place.name}, ${place.state}`;
  const house = random.int(1, 180);
  const floor = random.int(1, 14);
  let street: string;
  switch (random.int(0, 3)) {
    case 0:
      street = `${random.pick(STREETS)}, Casa Nro. ${house}`;
      break;
    case 1:
      street = `${random.pick(NEIGHBOURHOODS)}, ${random.pick(STREETS)}, Casa ${house}`;
      break;
    case 2:
      street = `${random.pick(STREETS)}, ${random.pick(BUILDINGS)}, Piso ${floor}, Apto ${floor}-${random.pick(['A', 'B', 'C', 'D'])}`;
      break;
    default:
      street = `${random.pick(NEIGHBOURHOODS)}, Calle ${random.int(1, 24)}, Casa Nro. ${house}`;
  }
  return { address: `${street}, ${where}`, areaCode: place.areaCode };
}
