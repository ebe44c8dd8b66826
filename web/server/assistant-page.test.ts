/**
 * /assistant through app.request(): the conversation list and a reopened conversation in the island's props, a
 * foreign conversation left out; and an answer's link opens the very incidents it
 * counted (the incidents page reads the link's local days, taxi and driver).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistantFixture, type AssistantFixture } from '../../e2e/support/assistant-fixture.ts';
import { EVAL_PASSWORD } from '../../e2e/eval-assistant/seed-fleet.ts';

let f: AssistantFixture;
let cookie: string;
beforeAll(async () => {
  f = await createAssistantFixture();
  const res = await f.app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: f.world.a.ownerEmail, password: EVAL_PASSWORD }) });
  cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).filter((c) => !c.startsWith('tw_refresh')).join('; ');
}, 120_000);
afterAll(() => f?.close());

const page = async (path: string, lang = 'es') => {
  const res = await f.app.request(path, { headers: { cookie, 'accept-language': lang } });
  expect(res.status, path).toBe(200);
  return res.text();
};
const islandProps = (html: string) => {
  const raw = html.match(/data-island="assistant-chat" data-props="([^"]*)"/)![1];
  return JSON.parse(raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
};

describe('/assistant', () => {
  it('lists the owner\'s conversations and reopens one with its messages and links', async () => {
    const answer = await (await f.ask(f.tokens.ownerA, { message: '¿Cuántos incidentes hubo ayer?' })).json();
    const html = await page('/assistant');
    expect(html).toContain('<h1>Asistente</h1>');
    const props = islandProps(html);
    expect(props.conversations[0]).toMatchObject({ id: answer.conversation_id, title: '¿Cuántos incidentes hubo ayer?' });
    expect(props.current).toBeNull();
    expect(props.suggestions).toContain('¿Cuántos incidentes hubo ayer?');
    const reopened = islandProps(await page(`/assistant?c=${answer.conversation_id}`));
    expect(reopened.current.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
    expect(reopened.current.messages[1]).toMatchObject({ content: answer.answer, links: answer.links, engine: 'offline' });
    const other = await (await f.ask(f.tokens.ownerB, { message: 'incidents today' })).json();
    expect(islandProps(await page(`/assistant?c=${other.conversation_id}`)).current).toBeNull();
    expect(islandProps(await page('/assistant', 'en')).suggestions).toContain('How many incidents were there yesterday?');
  });

  it('links each count to the incidents it counted', async () => {
    for (const message of ['¿Cuántas distracciones hubo la semana pasada?', '¿Cuántos incidentes tuvo el 9048 PDJ del 1 al 15 de noviembre?', 'incidentes de Carmen Ortiz ayer']) {
      const answer = await (await f.ask(f.tokens.ownerA, { message })).json();
      const { count } = answer.data[0].output;
      expect(count, message).toBeGreaterThan(0);
      expect(count, message).toBeLessThanOrEqual(30);
      const html = await page(answer.links[0].href);
      const listed = [...html.matchAll(/class="row-link" href="\/incidents\/([^"]+)"/g)].map((m) => m[1]);
      expect(listed.length, `${message} → ${answer.links[0].href}`).toBe(count);
      for (const link of answer.links.slice(1)) expect(listed).toContain(link.href.slice('/incidents/'.length));
    }
  });
});
