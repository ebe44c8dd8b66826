/** Reports and the assistant have their place in the navigation; their pages come in later issues. */
import type { MessageKey } from '../../i18n/messages-en.ts';
import type { PageHandler } from '../register-web.ts';

export const placeholderPage =
  (name: MessageKey): PageHandler =>
  async (_c, { i18n: { t } }) => ({
    title: t(name),
    body: (
      <section class="card">
        <h1>{t('soon.title', { page: t(name) })}</h1>
        <p>{t('soon.text')}</p>
      </section>
    ),
  });
