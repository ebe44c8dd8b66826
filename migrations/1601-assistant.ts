/**
 * The fleet assistant (issue 16): conversations and their messages, per user (or per API key), and what answering
 * cost per fleet and UTC day — the same shape as vision_usage_daily, plus how many questions were asked.
 */
import { sqlMigration } from './sql-migration.ts';

export const assistant = sqlMigration(`
  CREATE TABLE chat_conversations (
    id text PRIMARY KEY,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    -- Exactly one owner: the signed-in user, or the API key that asked.
    user_id text REFERENCES users(id) ON DELETE CASCADE,
    api_key_id text REFERENCES api_keys(id) ON DELETE CASCADE,
    title text NOT NULL,
    lang text NOT NULL CHECK (lang IN ('es', 'en')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((user_id IS NULL) <> (api_key_id IS NULL))
  );
  CREATE INDEX chat_conversations_user_idx ON chat_conversations (user_id, updated_at DESC) WHERE user_id IS NOT NULL;
  CREATE INDEX chat_conversations_api_key_idx ON chat_conversations (api_key_id, updated_at DESC) WHERE api_key_id IS NOT NULL;
  CREATE INDEX chat_conversations_updated_idx ON chat_conversations (updated_at);

  CREATE TABLE chat_messages (
    id text PRIMARY KEY,
    conversation_id text NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('user', 'assistant')),
    content text NOT NULL,
    lang text NOT NULL CHECK (lang IN ('es', 'en')),
    -- Assistant messages: the tool calls the answer rests on, its links, and which engine wrote it.
    data jsonb NOT NULL DEFAULT '[]',
    links jsonb NOT NULL DEFAULT '[]',
    engine text,
    created_at timestamptz NOT NULL
  );
  CREATE INDEX chat_messages_conversation_idx ON chat_messages (conversation_id, id);

  CREATE TABLE assistant_usage_daily (
    fleet_id text NOT NULL REFERENCES fleets(id) ON DELETE CASCADE,
    day date NOT NULL,
    questions integer NOT NULL DEFAULT 0,
    model_calls integer NOT NULL DEFAULT 0,
    input_tokens bigint NOT NULL DEFAULT 0,
    output_tokens bigint NOT NULL DEFAULT 0,
    cost_usd double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (fleet_id, day)
  );
`);
