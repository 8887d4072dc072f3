import { CacheableMemory } from '@cacheable/memory';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode } from '@orch/contracts';
import { AppConfig } from '../../infra/config/app-config.js';
import { DomainException } from '../../core/domain.exception.js';
import type { CallerIdentity } from '../../infra/throttling/caller-identity.js';
import type { AuthContext } from './access.decorators.js';

interface TokenClaims {
  sub: string;
  /** Seconds since the epoch (jsonwebtoken sets it from expiresIn). */
  exp?: number;
}

const BEARER = /^Bearer\s+(\S+)$/i;

/** How many verified tokens are remembered (LRU): far more than the users active in a minute. */
export const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Issues and verifies the bearer tokens (HS256 JWTs). Every request checks its
 * token twice (the rate limiter, then the access guard), and an HMAC plus the
 * JSON and base64 decoding cost ~25 us each time; a verified token's user is
 * kept in a bounded LRU until the token expires, never past it, so a repeat
 * costs a map lookup. A token that fails verification is never remembered.
 */
@Injectable()
export class TokenService implements CallerIdentity {
  private readonly verified = new CacheableMemory({
    lruSize: VERIFIED_TOKENS_MAX,
    useClone: false,
    storeHashSize: 1,
  });

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async issue(userId: string): Promise<{ accessToken: string; expiresAt: Date }> {
    const accessToken = await this.jwt.signAsync({ sub: userId } satisfies TokenClaims);
    return { accessToken, expiresAt: new Date(Date.now() + this.config.jwt.ttlSeconds * 1000) };
  }

  /** Verifies an `Authorization: Bearer <token>` header; 401 otherwise. Synchronous. */
  authenticate(header: string | undefined): AuthContext {
    const match = header ? BEARER.exec(header) : null;
    if (!match) throw new DomainException(ErrorCode.Unauthenticated, 'A bearer token is required');
    return this.authenticateToken(match[1]!);
  }

  async verifyBearer(header: string | undefined): Promise<AuthContext> {
    return this.authenticate(header);
  }

  /** For rate limiting: the user of a valid token, without throwing. */
  userIdFromAuthorization(header: string | undefined): string | undefined {
    const match = header ? BEARER.exec(header) : null;
    return match ? this.userIdOf(match[1]!) : undefined;
  }

  async verify(token: string): Promise<AuthContext> {
    return this.authenticateToken(token);
  }

  private authenticateToken(token: string): AuthContext {
    const userId = this.userIdOf(token);
    if (!userId) {
      throw new DomainException(ErrorCode.Unauthenticated, 'The token is invalid or has expired');
    }
    return { userId };
  }

  /** The token's user if it verifies now; remembered until the token expires. */
  private userIdOf(token: string): string | undefined {
    const known = this.verified.get<string>(token);
    if (known !== undefined) return known;
    let claims: TokenClaims;
    try {
      claims = this.jwt.verify<TokenClaims>(token);
    } catch {
      return undefined;
    }
    if (typeof claims.sub !== 'string') return undefined;
    // jsonwebtoken refuses a token from its `exp` second on; the LRU drops it 1 ms before.
    if (typeof claims.exp === 'number') {
      this.verified.set(token, claims.sub, { expire: claims.exp * 1000 - 1 });
    }
    return claims.sub;
  }
}
