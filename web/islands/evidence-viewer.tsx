/**
 * An incident's frames: thumbnails in time order (the incident's own frame outlined), each opening the frame full
 * size in a dialog where a swipe, the arrow keys or the buttons go to the next or previous one, and the frame can
 * be downloaded. Frames are signed links (short-lived), so the download is the same link. A reviewer can ask for the
 * frame shown to be analysed again (POST /api/v1/frames/{id}/analyse: high priority, once per request).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../client/api.ts';
import { ActionNote } from './action-note.tsx';
import { useAction } from './use-action.ts';
import { useI18n } from './use-i18n.ts';

export interface EvidenceFrame {
  id: string;
  url: string;
  capturedAt: string;
  /** "−12 s" / "+3 s" from the incident. */
  offset: string;
  isIncidentFrame: boolean;
  width: number | null;
  height: number | null;
}

/** A horizontal swipe longer than this (px) turns the page; shorter ones are taps or scroll jitter. */
const SWIPE_PX = 40;

export default function EvidenceViewer({ frames, canAnalyse = false }: { frames: EvidenceFrame[]; canAnalyse?: boolean }) {
  const { t, dateTime } = useI18n();
  const { busy, note, run } = useAction();
  // A request that failed on the way (no answer) is sent again with its key, so the server queues it at most once;
  // after an answer the next click is a new request. The button is disabled while one is under way.
  const requestKeys = useRef(new Map<string, string>());
  const [queuedNote, setQueuedNote] = useState('');
  const analyseAgain = (id: string) =>
    run(async () => {
      setQueuedNote('');
      const key = requestKeys.current.get(id) ?? `${id}:${Date.now()}`;
      requestKeys.current.set(id, key);
      const answer = await api<{ queued: boolean }>(`/api/v1/frames/${encodeURIComponent(id)}/analyse`, { method: 'POST', headers: { 'idempotency-key': key } });
      requestKeys.current.delete(id);
      setQueuedNote(t(answer.queued ? 'evidence.analyseQueued' : 'evidence.analyseAlready'));
    }, null);
  const [open, setOpen] = useState<number | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const swipeFrom = useRef<number | null>(null);
  const total = frames.length;

  useEffect(() => {
    const element = dialog.current;
    if (open !== null && element && !element.open) element.showModal();
  }, [open]);

  const go = (step: number) => {
    setQueuedNote('');
    setOpen((i) => (i === null ? i : Math.min(total - 1, Math.max(0, i + step))));
  };
  const close = () => {
    dialog.current?.close();
    setOpen(null);
  };
  const frame = open === null ? null : frames[open];

  return (
    <>
      <div class="frames">
        {frames.map((f, i) => (
          <figure class={f.isIncidentFrame ? 'incident-frame' : undefined} key={f.id}>
            <button type="button" class="frame-thumb" onClick={() => setOpen(i)} aria-label={t('evidence.open', { n: i + 1, total })} data-frame-id={f.id}>
              <img src={f.url} alt={t('incident.frameAt', { time: dateTime(f.capturedAt) })} loading="lazy" width={f.width ?? undefined} height={f.height ?? undefined} />
            </button>
            <figcaption>
              {dateTime(f.capturedAt)} <span class="offset">({f.offset})</span>
            </figcaption>
          </figure>
        ))}
      </div>
      {frame && open !== null && (
        <dialog
          ref={dialog}
          class="frame-viewer"
          aria-label={t('evidence.viewer', { n: open + 1, total })}
          data-testid="frame-viewer"
          onClose={() => setOpen(null)}
          onKeyDown={(e) => (e.key === 'ArrowRight' ? go(1) : e.key === 'ArrowLeft' ? go(-1) : undefined)}
          onPointerDown={(e) => (swipeFrom.current = e.clientX)}
          onPointerUp={(e) => {
            const from = swipeFrom.current;
            swipeFrom.current = null;
            if (from !== null && Math.abs(e.clientX - from) > SWIPE_PX) go(e.clientX < from ? 1 : -1);
          }}
        >
          <div class="frame-viewer-bar">
            <span>
              {t('evidence.viewer', { n: open + 1, total })} · {dateTime(frame.capturedAt)} ({frame.offset})
            </span>
            <button type="button" class="secondary" onClick={close}>
              {t('evidence.close')}
            </button>
          </div>
          <ActionNote note={note ?? (queuedNote ? { text: queuedNote, error: false } : null)} inline />
          <img class="frame-full" src={frame.url} alt={t('incident.frameAt', { time: dateTime(frame.capturedAt) })} draggable={false} data-frame-id={frame.id} />
          <div class="frame-viewer-bar">
            <button type="button" class="secondary" onClick={() => go(-1)} disabled={open === 0} aria-label={t('evidence.previous')}>
              ‹
            </button>
            <a class="button-link" href={frame.url} download={`frame-${frame.capturedAt.replace(/[:.]/g, '-')}.jpg`}>
              {t('evidence.download')}
            </a>
            {canAnalyse && (
              <button type="button" class="secondary" disabled={busy} onClick={() => analyseAgain(frame.id)} data-testid="analyse-again">
                {t('evidence.analyseAgain')}
              </button>
            )}
            <button type="button" class="secondary" onClick={() => go(1)} disabled={open === total - 1} aria-label={t('evidence.next')}>
              ›
            </button>
          </div>
        </dialog>
      )}
    </>
  );
}
