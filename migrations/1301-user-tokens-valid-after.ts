/**
 * users.tokens_valid_after: access tokens of the user issued before this moment are refused (issue 13). An operator's
 * password or second-factor reset (admin CLI) sets it, so a taken-over account's tokens stop working within seconds,
 * though the CLI cannot reach a server's cache.
 */
import { sqlMigration } from './sql-migration.ts';

export const userTokensValidAfter = sqlMigration(`
  ALTER TABLE users ADD COLUMN tokens_valid_after timestamptz;
`);
