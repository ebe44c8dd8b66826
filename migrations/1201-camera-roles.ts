/**
 * Which way each camera looks (issue 12): `cabin` faces the driver, `road` faces the road, `dual` sees both. Driver
 * rules run only on cabin (and dual) frames; road frames are kept as accident evidence. Existing devices were
 * provisioned as driver-facing cameras, hence the default.
 */
import { sqlMigration } from './sql-migration.ts';

export const cameraRoles = sqlMigration(`
  ALTER TABLE devices ADD COLUMN camera_role text NOT NULL DEFAULT 'cabin' CHECK (camera_role IN ('cabin', 'road', 'dual'));
`);
