// Free loopback ports for throw-away servers in tests (the stack uses fixed, configured ports).
import getPort from 'get-port';

export async function freePort(): Promise<number> {
  return getPort({ host: '127.0.0.1' });
}
