/** Creates the first platform admin from ADMIN_EMAIL / ADMIN_PASSWORD, only while the platform has no admin. */
import type { DomainDeps } from './deps.ts';
import { createUser } from './provisioning.ts';
import { withProvisioningLock } from './provisioning-lock.ts';

/**
 * 'created' when the database had no admin and now has this one; 'exists' when any admin was already there
 * (the given credentials are then ignored: changing the variables later does not reset anybody's password).
 * Safe when several instances start at once against one database.
 */
export async function bootstrapAdmin(deps: DomainDeps, input: { email: string; password: string }): Promise<'created' | 'exists'> {
  return withProvisioningLock(deps.db, 'bootstrap-admin', async (tx) => {
    const admin = await tx.selectFrom('users').select('id').where('role', '=', 'admin').limit(1).executeTakeFirst();
    if (admin) return 'exists';
    await createUser({ ...deps, db: tx }, { fleetId: null, email: input.email, password: input.password, role: 'admin', name: 'Administrator' });
    return 'created';
  });
}
