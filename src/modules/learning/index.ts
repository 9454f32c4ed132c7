export { actorOf, cliActor, requireAdmin, type Actor } from './actor.ts';
export {
  listChanges,
  recordChange,
  type Change,
  type ChangeAction,
  type ChangeEntity,
  type ChangeRecord,
} from './change-log.ts';
// -- dictionary (ai_diccionario_semantico) exports below
// -- field definitions (ai_definiciones_campos) exports below
// -- ratings, review queue, corrections, quality stats exports below
