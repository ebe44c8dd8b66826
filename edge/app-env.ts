/** Hono typing shared by every route: what middleware puts on the context. */
import type { Logger } from './observability/logger.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
  };
}
