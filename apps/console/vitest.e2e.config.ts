// The console's browser tests: the e2e tier of vitest.shared.ts without its shared PostgreSQL and
// nats-server (each test file starts the whole stack itself, on its own ports).
import { tierConfig } from '../../vitest.shared.js';

export default tierConfig('e2e', { globalSetup: [] });
