/**
 * The assistant's route tests share one world: the evaluation's two seeded fleets (e2e/eval-assistant/seed-fleet.ts)
 * on a test platform whose clock stands at the evaluation's "now", with fleet A's owner and a viewer signed in and
 * fleet B's owner too. `chatModel` makes the platform's model a loopback one (tests script it).
 */
import { createApp } from '../../edge/app.ts';
import { createUser } from '../../edge/domain/provisioning.ts';
import type { ChatModel } from '../../edge/ports/chat-model.ts';
import { NOW } from '../eval-assistant/question-spec.ts';
import { EVAL_PASSWORD, seedEvalWorld, type EvalWorld } from '../eval-assistant/seed-fleet.ts';
import { createTestPlatform, type TestPlatform } from './test-platform.ts';
import { loginForTest } from './test-sessions.ts';

export interface AssistantFixture {
  platform: TestPlatform;
  app: ReturnType<typeof createApp>;
  world: EvalWorld;
  tokens: { ownerA: string; viewerA: string; ownerB: string };
  /** POST /api/v1/chat/message as `token` (JSON unless `accept` says otherwise). */
  ask(token: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(token: string, path: string, method?: string): Promise<Response>;
  close(): Promise<void>;
}

export async function createAssistantFixture(env: Record<string, string> = {}, chatModel?: ChatModel): Promise<AssistantFixture> {
  const platform = await createTestPlatform({ CHAT_RETENTION_DAYS: '90', ...env });
  platform.clock.set(NOW);
  platform.chatModel = chatModel;
  const world = await seedEvalWorld({ db: platform.db.kysely, cache: platform.cache, clock: platform.clock, ids: platform.ids });
  await createUser({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }, { fleetId: world.a.id, email: 'viewer@sol.test', password: EVAL_PASSWORD, role: 'viewer' });
  const app = createApp(platform);
  const login = (email: string) => loginForTest(app, platform.clock, email, EVAL_PASSWORD);
  const tokens = { ownerA: await login(world.a.ownerEmail), viewerA: await login('viewer@sol.test'), ownerB: await login(world.b.ownerEmail) };
  return {
    platform,
    app,
    world,
    tokens,
    ask: async (token, body, headers = {}) =>
      app.request('/api/v1/chat/message', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    get: async (token, path, method = 'GET') => app.request(path, { method, headers: { authorization: `Bearer ${token}` } }),
    close: () => platform.close(),
  };
}

/** The events of a text/event-stream answer, parsed. */
export async function sseEvents(res: Response): Promise<Array<{ event: string; data: any }>> {
  const text = await res.text();
  return text
    .split(/\n\n+/)
    .filter((block) => block.trim())
    .map((block) => {
      const event = block.match(/^event: (.*)$/m)?.[1] ?? 'message';
      const data = block.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) };
    });
}
