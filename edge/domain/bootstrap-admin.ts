/** Creates the first platform admin from ADMIN_EMAIL / ADMIN_PASSWORD, only while the platform has no admin. */
import type { DomainDeps } from './deps.ts';
import { createUser } from './provisioning.ts';

export async function bootstrapAdmin(deps: DomainDeps, input: { email: string; password: string }): Promise<'created' | 'exists'> {
  const admin = await deps.db.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
  if (admin) return 'exists';
  await createUser(deps, { fleetId: null, email: input.email, password: input.password, role: 'admin', name: 'Administrator' });
  return 'created';
}
