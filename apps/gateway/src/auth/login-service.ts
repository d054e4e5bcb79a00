// Checks a username and password and issues a token. Unknown users and wrong passwords take the
// same path (a scrypt check against a dummy hash) and get the same answer, so neither the status
// nor the time tells whether a username exists.
import { randomUUID } from 'node:crypto';
import { hashPassword, verifyPassword } from '@hpe/read-models';
import { z } from 'zod';
import { rateLimited, unauthenticated, validationFailed } from './auth-errors.js';
import type { LoginRateLimiter } from './login-rate-limiter.js';
import { scopeOf, type Principal, type Role, type Scope } from './principal.js';
import type { TokenService } from './token-service.js';
import type { UserStore } from './user-store.js';
import { VerifiedPasswords } from './verified-passwords.js';

export const loginRequest = z.strictObject({
  username: z.string().min(1).max(128),
  password: z.string().min(1).max(1_024),
});

export interface TokenAnswer {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly role: Role;
  readonly scope: Scope;
}

export class LoginService {
  /** A hash of a password nobody knows, with the cost real hashes have; derived once, lazily. */
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
    private readonly verified = new VerifiedPasswords(),
  ) {}

  async login(body: unknown, clientAddress: string): Promise<TokenAnswer> {
    const parsed = loginRequest.safeParse(body);
    if (!parsed.success) {
      throw validationFailed(
        parsed.error.issues.map((i) => ({
          path: i.path.map(String).join('.'),
          code: i.code,
          message: i.message,
        })),
      );
    }
    const { username, password } = parsed.data;
    const decision = this.limiter.attempt(`${clientAddress}\n${username}`);
    if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);

    const user = await this.users.find(username);
    this.dummyHash ??= hashPassword(randomUUID());
    const stored = user?.passwordHash ?? (await this.dummyHash);
    const ok =
      (user !== undefined && this.verified.has(stored, password)) ||
      (await verifyPassword(password, stored));
    if (user !== undefined && ok) this.verified.remember(stored, password);
    if (user === undefined || !ok) {
      throw unauthenticated('Unknown username or wrong password.');
    }
    const principal: Principal = {
      username: user.username,
      role: user.role,
      scope: scopeOf(user.scopeCommuneId, user.scopePollingAreaId),
    };
    const issued = await this.tokens.issue(principal);
    return {
      accessToken: issued.accessToken,
      tokenType: 'Bearer',
      expiresIn: issued.expiresIn,
      role: principal.role,
      scope: principal.scope,
    };
  }
}
