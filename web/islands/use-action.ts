/**
 * One API action at a time for an island's form or buttons: `busy` while it runs (to disable them), then a note —
 * the success text, or the server's message (already in words a person can act on) as an error.
 */
import { useState } from 'preact/hooks';

export interface ActionNote {
  text: string;
  error: boolean;
}

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<ActionNote | null>(null);
  /** `done`: the note on success; null for none (e.g. the page is about to reload). */
  const run = async (work: () => Promise<void>, done: string | null) => {
    setBusy(true);
    setNote(null);
    try {
      await work();
      if (done !== null) setNote({ text: done, error: false });
    } catch (e) {
      setNote({ text: e instanceof Error ? e.message : String(e), error: true });
    } finally {
      setBusy(false);
    }
  };
  return { busy, note, run };
}
