/** A page whose API read failed: the API's own message, with the status it gave (404 stays 404). */
import type { ApiReadError, PageContext } from '../page-context.ts';

export function errorPage(ctx: PageContext, error: ApiReadError) {
  const message = (error.body as { error?: { message?: string } } | null)?.error?.message ?? error.message;
  return {
    title: ctx.i18n.t('error.title'),
    status: ([400, 403, 404].includes(error.status) ? error.status : 503) as 400 | 403 | 404 | 503,
    body: (
      <section class="card">
        <h1>{ctx.i18n.t('error.title')}</h1>
        <p role="alert">{message}</p>
      </section>
    ),
  };
}
