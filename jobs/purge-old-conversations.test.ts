/** Conversations not used for CHAT_RETENTION_DAYS go with their messages; newer ones stay; 0 keeps everything. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { saveExchange } from '../edge/domain/assistant/conversations.ts';
import { createFleet, createUser } from '../edge/domain/provisioning.ts';
import { purgeOldConversations } from './purge-old-conversations.ts';

const DAY = 86_400_000;
const context = { attempt: 1 } as Parameters<typeof purgeOldConversations>[2];

describe('purge-old-conversations', () => {
  let platform: TestPlatform;
  const titles = async () => (await platform.db.kysely.selectFrom('chat_conversations').select('title').orderBy('title').execute()).map((r) => r.title);

  beforeAll(async () => {
    platform = await createTestPlatform({ CHAT_RETENTION_DAYS: '90' });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Retention' });
    const user = await createUser(deps, { fleetId: fleet.id, email: 'owner@retention.test', password: 'retention-pass-123', role: 'owner' });
    const owner = { fleetId: fleet.id, userId: user.id, apiKeyId: null };
    const start = platform.clock.now();
    for (const [title, daysAgo] of [['old', 91], ['recent', 89]] as const) {
      platform.clock.set(start - daysAgo * DAY);
      const answer = { text: 'answer', lang: 'en' as const, data: [], links: [], engine: 'offline' };
      const { conversationId } = await saveExchange(deps, owner, undefined, { text: title, lang: 'en' }, answer);
      if (title === 'old') {
        // Used again yesterday: its age is its last use, not its start.
        platform.clock.set(start - DAY);
        await saveExchange(deps, owner, conversationId, { text: 'and again', lang: 'en' }, answer);
        platform.clock.set(start - 91 * DAY);
        await saveExchange(deps, owner, undefined, { text: 'stale', lang: 'en' }, answer);
      }
    }
    platform.clock.set(start);
  });
  afterAll(() => platform.close());

  it('deletes what was not used within the retention, with its messages, once', async () => {
    expect(await titles()).toEqual(['old', 'recent', 'stale']);
    await purgeOldConversations(platform, {}, context);
    expect(await titles()).toEqual(['old', 'recent']);
    expect((await platform.db.kysely.selectFrom('chat_messages').select('id').execute()).length).toBe(6);
    await purgeOldConversations(platform, {}, context);
    expect(await titles()).toEqual(['old', 'recent']);
  });

  it('keeps everything with CHAT_RETENTION_DAYS=0', async () => {
    (platform.config as { CHAT_RETENTION_DAYS: number }).CHAT_RETENTION_DAYS = 0;
    platform.clock.advance(400 * DAY);
    await purgeOldConversations(platform, {}, context);
    expect(await titles()).toEqual(['old', 'recent']);
  });
});
