/** A minimal SSE reader for end-to-end tests: collects events from a streaming fetch until told to stop. */
export interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

export function collectSse(res: Response) {
  const events: SseEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let lastEventId: string | undefined;
  let markConnected: () => void = () => {};
  // The server writes ": connected" once it is subscribed: events published after that cannot be missed.
  const connected = new Promise<void>((resolve) => (markConnected = resolve));
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += decoder.decode(value, { stream: true });
        if (buffer.includes(': connected')) markConnected();
        const frames = buffer.split('\n\n');
        buffer = frames.pop()!;
        for (const frame of frames) {
          const lines = frame.split('\n').filter((l) => l && !l.startsWith(':'));
          const event: SseEvent = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
          if (event.id !== undefined) lastEventId = event.id;
          // As in a browser's EventSource: a message without data only moves the last event id.
          if (event.data !== undefined) events.push(event);
        }
      }
    } catch {
      // cancelled
    }
  })();
  return {
    events,
    /** Resolves once the stream is live (or never, if it is not: callers bound it with their own timeout). */
    connected,
    async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return predicate(events);
    },
    /** The id a browser would send as Last-Event-ID on reconnecting. */
    lastEventId: () => lastEventId,
    /** Resolves when the server ends the stream. */
    ended: done,
    async close() {
      await reader.cancel().catch(() => {});
      await done;
    },
  };
}
