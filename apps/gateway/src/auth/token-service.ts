// Issues and checks the gateway's access tokens: HS256 JWTs (jose) naming the principal, with a
// fixed issuer and audience. Anything else (alg none, another key, expired, odd claims) is refused.
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { principalClaims, scopeOf, type Principal } from './principal.js';

export const tokenIssuer = 'hpe-gateway';
export const tokenAudience = 'hpe-api';

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
}

export class TokenService {
  private readonly key: Uint8Array;
  /**
   * Tokens already verified, until they expire: a field device sends hundreds of requests with one
   * token, and the signature check (HMAC through WebCrypto) was a quarter of the gateway's CPU. The
   * same token string always verifies the same way, so only its expiry needs checking again.
   */
  private readonly verified = new LRUCache<string, { principal: Principal; expiresAtMs: number }>({
    max: 100_000,
  });

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(principal: Principal): Promise<IssuedToken> {
    const iat = Math.floor(this.now() / 1_000);
    const accessToken = await new SignJWT({ role: principal.role, scope: principal.scope })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.username)
      .setIssuer(tokenIssuer)
      .setAudience(tokenAudience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
    return { accessToken, expiresIn: this.ttlSeconds };
  }

  /** The principal a valid token names, or undefined for any token we did not issue or that expired. */
  async verify(token: string): Promise<Principal | undefined> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (this.now() < known.expiresAtMs) return known.principal;
      this.verified.delete(token);
      return undefined;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: tokenIssuer,
        audience: tokenAudience,
        requiredClaims: ['sub', 'iat', 'exp'],
        currentDate: new Date(this.now()),
      });
      const claims = principalClaims.safeParse(payload);
      if (!claims.success) return undefined;
      const { communeId, pollingAreaId } = claims.data.scope;
      const principal: Principal = {
        username: claims.data.sub,
        role: claims.data.role,
        scope: scopeOf(communeId ?? null, pollingAreaId ?? null),
      };
      // jwtVerify required `exp`; jose checks it in whole seconds, so must the cache.
      if (typeof payload.exp === 'number')
        this.verified.set(token, { principal, expiresAtMs: payload.exp * 1_000 });
      return principal;
    } catch (error) {
      if (error instanceof errors.JOSEError) return undefined;
      throw error;
    }
  }
}
