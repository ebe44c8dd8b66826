/** /login: email and password, then a second factor when asked. A signed-in visitor goes straight on. */
import LoginForm from '../../islands/login-form.tsx';
import { Island } from '../island.tsx';
import { safeNext } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';

export const loginPage: PageHandler = async (c, ctx) => {
  const next = safeNext(c.req.query('next'));
  if (ctx.principal) return c.redirect(next, 302);
  const { t } = ctx.i18n;
  return {
    title: t('login.title'),
    body: (
      <section class="card login" aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <noscript>
          <p class="notice">{t('login.noscript')}</p>
        </noscript>
        <Island name="login-form" component={LoginForm} props={{ next }} />
      </section>
    ),
  };
};
