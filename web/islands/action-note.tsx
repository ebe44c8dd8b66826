/**
 * What an island's action came to, announced to screen readers: a status line on success, an alert on failure.
 * Inline (`span`) beside a control in a row, or a paragraph under a form.
 */
import type { ActionNote as Note } from './use-action.ts';

export function ActionNote({ note, inline = false }: { note: Note | null; inline?: boolean }) {
  if (!note) return null;
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag role={note.error ? 'alert' : 'status'} class={note.error ? 'error' : inline ? 'hint' : 'done'}>
      {note.text}
    </Tag>
  );
}
