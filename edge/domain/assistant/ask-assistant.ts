/**
 * One question to the assistant, start to finish: whose fleet it is about (always the asker's), which engine answers
 * (the offline parser first; the model only when one is configured, the parser is not sure, and the fleet's daily
 * budget allows), what streams out meanwhile, and what is kept (the exchange in the conversation, the usage).
 */
import type { Cache } from '../../ports/cache.ts';
import { ChatModelError, type ChatModel } from '../../ports/chat-model.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Principal } from '../auth/access-tokens.ts';
import type { DomainDeps } from '../deps.ts';
import { assertConversation, ownerOf, recentMessages, saveExchange } from './conversations.ts';
import { loadFleetProfile } from './fleet-profile.ts';
import type { Lang } from './format.ts';
import { answerWithModel } from './model/model-engine.ts';
import { answerOffline, type EngineAnswer, type ToolCall } from './offline/offline-engine.ts';
import type { AssistantTool, ToolContext, ToolLink } from './tool.ts';
import { ASSISTANT_TOOLS } from './tools/index.ts';
import { NO_MODEL_USAGE, recordAssistantUsage, withinBudget, type AssistantBudget, type ModelUsage } from './usage.ts';

export interface AssistantSettings {
  /** auto: the model when one is configured (offline first); offline: never a model. */
  engine: 'auto' | 'offline';
  budget: AssistantBudget;
}

export interface AssistantDeps extends DomainDeps {
  cache: Cache;
  log: Logger;
  chatModel?: ChatModel;
  settings: AssistantSettings;
  tools?: AssistantTool[];
}

/** What streams while an answer is written; the `done` event (the route's) carries the whole ChatAnswer. */
export type AnswerEvent = { event: 'tool'; data: { tool: string; input: unknown } } | { event: 'token'; data: { text: string } } | { event: 'sentence'; data: { text: string } };

export interface ChatAnswer {
  conversation_id: string;
  message_id: string;
  lang: Lang;
  answer: string;
  data: ToolCall[];
  links: ToolLink[];
  engine: 'offline' | 'model';
}

const HISTORY_MESSAGES = 8;

const NOTES: Record<'budget' | 'unavailable', Record<Lang, string>> = {
  budget: { es: '(Hoy se ha agotado el presupuesto diario del modelo: respondo sin él.)', en: "(Today's model budget is used up: answering without it.)" },
  unavailable: { es: '(El modelo no responde ahora: respondo sin él.)', en: '(The model is not answering right now: answering without it.)' },
};

/** Sentences of a text, for streaming an answer that is already whole. */
export const sentencesOf = (text: string) => text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)\s*/g) ?? [text];

export async function askAssistant(
  deps: AssistantDeps,
  principal: Principal,
  request: { message: string; conversationId?: string; lang?: Lang },
  emit: (event: AnswerEvent) => void = () => {},
): Promise<ChatAnswer> {
  const owner = ownerOf(principal);
  if (request.conversationId) await assertConversation(deps.db, owner, request.conversationId);
  const fleet = await loadFleetProfile(deps.db, owner.fleetId);
  const now = deps.clock.now();
  // Read-only whoever asks: the assistant reads, it never changes anything.
  const ctx: ToolContext = { db: deps.db, cache: deps.cache, now, fleet, principal: { userId: owner.userId, role: 'viewer', fleetId: owner.fleetId } };
  const tools = deps.tools ?? ASSISTANT_TOOLS;
  const history = request.conversationId ? await recentMessages(deps.db, request.conversationId, HISTORY_MESSAGES) : [];
  const previous = [...history].reverse().find((m) => m.role === 'assistant' && m.data.length > 0)?.data.at(-1);
  const fallbackLang = history.at(-1)?.lang ?? fleet.locale;

  const offline = await answerOffline(ctx, request.message, { tools, fallbackLang, lang: request.lang, previous });
  let answer: EngineAnswer = offline;
  let engine: ChatAnswer['engine'] = 'offline';
  let usage: ModelUsage = NO_MODEL_USAGE;
  if (deps.chatModel && deps.settings.engine === 'auto' && !offline.sure) {
    if (!(await withinBudget(deps.db, fleet.id, now, deps.settings.budget))) {
      answer = { ...offline, text: `${offline.text} ${NOTES.budget[offline.lang]}` };
    } else {
      try {
        const asked = await answerWithModel(ctx, deps.chatModel, request.message, {
          tools,
          lang: offline.lang,
          history: history.map((m) => ({ role: m.role, content: m.content })),
          onText: (text) => emit({ event: 'token', data: { text } }),
          onTool: (call) => emit({ event: 'tool', data: call }),
        });
        answer = asked.answer;
        usage = asked.usage;
        engine = 'model';
      } catch (error) {
        if (!(error instanceof ChatModelError)) throw error;
        usage = (error as ChatModelError & { usage?: ModelUsage }).usage ?? NO_MODEL_USAGE;
        deps.log.warn('assistant model failed; answered offline', { error: error.message, fleetId: fleet.id });
        answer = { ...offline, text: `${offline.text} ${NOTES.unavailable[offline.lang]}` };
      }
    }
  }
  if (engine === 'offline') {
    for (const call of answer.data) emit({ event: 'tool', data: { tool: call.tool, input: call.input } });
    for (const text of sentencesOf(answer.text)) emit({ event: 'sentence', data: { text } });
  }

  const saved = await saveExchange(deps, owner, request.conversationId, { text: request.message, lang: answer.lang }, { text: answer.text, lang: answer.lang, data: answer.data, links: answer.links, engine });
  await recordAssistantUsage(deps.db, fleet.id, now, usage);
  return { conversation_id: saved.conversationId, message_id: saved.messageId, lang: answer.lang, answer: answer.text, data: answer.data, links: answer.links, engine };
}
