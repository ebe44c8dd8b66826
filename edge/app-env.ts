/** Hono typing shared by every route: what middleware puts on the context. */
import type { Principal } from './domain/auth/access-tokens.ts';
import type { DeviceIdentity } from './domain/devices/device-auth.ts';
import type { Logger } from './observability/logger.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** Set by requireUser on authenticated routes. */
    principal: Principal;
    /** Set by requireDevice on device routes. */
    device: DeviceIdentity;
  };
}
