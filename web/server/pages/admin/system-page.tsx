/** /admin: system health (components, ingest, queue, viewers, latency) and dead letters, refreshed live. */
import AdminHealth, { type DeadLetter, type SystemReport } from '../../../islands/admin-health.tsx';
import { Island } from '../../island.tsx';
import { adminOnly } from './admin-only.tsx';

export const adminSystemPage = adminOnly(async (_c, ctx) => {
  const [system, deadLetters] = await Promise.all([ctx.api<SystemReport>('/api/v1/admin/system'), ctx.api<{ data: DeadLetter[] }>('/api/v1/admin/dead-letters?limit=50')]);
  return {
    title: ctx.i18n.t('admin.title'),
    body: (
      <>
        <h1>{ctx.i18n.t('admin.title')}</h1>
        <Island name="admin-health" component={AdminHealth} props={{ system, deadLetters: deadLetters.data.map((d) => ({ id: d.id, name: d.name, attempts: d.attempts, lastError: d.lastError, updatedAt: d.updatedAt })) }} />
      </>
    ),
  };
});
