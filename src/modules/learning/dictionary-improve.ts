import { z } from 'zod';
import type { Database } from '../../db/database.ts';
import { parseInput } from '../../validation.ts';
import type { ChatMessage, ChatProvider } from '../llm/index.ts';
import { LOCAL_DICTIONARY_MODEL, localProposal } from './dictionary-local-proposal.ts';
import { completeProposal, parseModelReply, proposalMessages } from './dictionary-model-proposal.ts';
import { checkProposal, gatherContext, type ImproveContext, type Improvement } from './dictionary-proposal.ts';
import { MAX_PALABRA_LENGTH } from './dictionary-input.ts';

/** What to improve: an entry by id, or a word (existing or new), with optional context from the administrator. */
export const improveEntryInput = z
  .strictObject(
    {
      id: z
        .number({ error: 'debe ser un número entero' })
        .int('debe ser un número entero')
        .min(1, 'debe ser mayor que 0')
        .max(2_147_483_647, 'es demasiado grande')
        .optional(),
      palabra: z
        .string({ error: 'debe ser texto' })
        .trim()
        .min(1, 'no puede estar vacía')
        .max(MAX_PALABRA_LENGTH, `debe tener como máximo ${MAX_PALABRA_LENGTH} caracteres`)
        .optional(),
      contexto: z
        .string({ error: 'debe ser texto' })
        .trim()
        .max(2000, 'debe tener como máximo 2000 caracteres')
        .optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? `campos desconocidos: ${issue.keys.join(', ')}` : undefined,
    },
  )
  .refine((input) => input.id !== undefined || input.palabra !== undefined, {
    error: 'indique el id de una entrada o una palabra',
  });

export type ImproveEntryInput = z.input<typeof improveEntryInput>;

/** Attempts the model gets: its first answer and one repair after the checks refuse it. */
const MODEL_ATTEMPTS = 2;

async function fromModel(db: Database, chat: ChatProvider, context: ImproveContext): Promise<Improvement> {
  const messages: ChatMessage[] = proposalMessages(context);
  let tokens = 0;
  let last: Improvement | undefined;
  for (let attempt = 1; attempt <= MODEL_ATTEMPTS; attempt++) {
    const completion = await chat.complete(messages, { json: true, temperature: 0.2 });
    tokens += completion.tokens;
    const common = {
      entrada_id: context.entrada?.id ?? null,
      palabra: context.palabra,
      modelo: completion.modelo || chat.modelo,
      tokens_usados: tokens,
    };
    const parsed = parseModelReply(completion.texto);
    let problems: string[];
    if ('error' in parsed) {
      problems = [parsed.error];
      last = {
        ...common,
        propuesta: null,
        valida: false,
        problemas: problems,
        pregunta_aclaratoria: null,
        explicacion: '',
      };
    } else if (!parsed.reply.propuesta) {
      return {
        ...common,
        propuesta: null,
        valida: false,
        problemas: [],
        pregunta_aclaratoria: parsed.reply.pregunta_aclaratoria?.trim() ?? null,
        explicacion: parsed.reply.explicacion?.trim() ?? '',
      };
    } else {
      const checked = await checkProposal(db, context, completeProposal(context, parsed.reply.propuesta));
      const explicacion = [parsed.reply.explicacion?.trim() ?? '', ...checked.notas].filter(Boolean).join(' ');
      const pregunta = parsed.reply.pregunta_aclaratoria?.trim() || null;
      last = {
        ...common,
        propuesta: checked.propuesta,
        valida: checked.problemas.length === 0,
        problemas: checked.problemas,
        pregunta_aclaratoria: pregunta,
        explicacion,
      };
      if (last.valida) return last;
      problems = checked.problemas;
    }
    messages.push({ role: 'assistant', content: completion.texto });
    messages.push({
      role: 'user',
      content: `La propuesta fue rechazada: ${problems.join(' ')}\nCorrígela y responde otra vez solo con el JSON pedido.`,
    });
  }
  const result = last as Improvement;
  return {
    ...result,
    explicacion: [`La propuesta del modelo no es válida y no se puede guardar así.`, result.explicacion]
      .filter(Boolean)
      .join(' '),
  };
}

async function fromDefinitions(db: Database, context: ImproveContext): Promise<Improvement> {
  const draft = localProposal(context);
  const common = {
    entrada_id: context.entrada?.id ?? null,
    palabra: context.palabra,
    modelo: LOCAL_DICTIONARY_MODEL,
    tokens_usados: 0,
  };
  if (!draft.propuesta) return { ...common, ...draft, valida: false, problemas: [] };
  const checked = await checkProposal(db, context, draft.propuesta);
  return {
    ...common,
    propuesta: checked.propuesta,
    valida: checked.problemas.length === 0,
    problemas: checked.problemas,
    pregunta_aclaratoria: draft.pregunta_aclaratoria,
    explicacion: [draft.explicacion, ...checked.notas].join(' '),
  };
}

/**
 * "Mejorar con IA": proposes a better entry (definition, column or value, SQL, synonyms, examples)
 * or asks one clarifying question. With a chat model it uses the model's JSON; without one, a local
 * proposal from the field definitions. Every proposal is checked like a save and none is saved.
 */
export async function improveEntry(options: {
  db: Database;
  /** The chat model; undefined means the local, network-free proposer. */
  chat?: ChatProvider;
  input: unknown;
}): Promise<Improvement> {
  const input = parseInput(improveEntryInput, options.input);
  const context = await gatherContext(options.db, input);
  return options.chat ? fromModel(options.db, options.chat, context) : fromDefinitions(options.db, context);
}
