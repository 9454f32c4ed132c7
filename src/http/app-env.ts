import type { HttpBindings } from '@hono/node-server';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Session } from '../modules/users/index.ts';

/** What every request handler can read from the context. */
export interface AppEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    db: Database;
    config: Config;
    /** Set by `authorize` on every non-public route. */
    session: Session;
  };
}
