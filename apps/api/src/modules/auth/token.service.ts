import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ErrorCode } from '@orch/contracts';
import { AppConfig } from '../../infra/config/app-config.js';
import { DomainException } from '../../core/domain.exception.js';
import type { CallerIdentity } from '../../infra/throttling/caller-identity.js';
import type { AuthContext } from './access.decorators.js';

interface TokenClaims {
  sub: string;
}

@Injectable()
export class TokenService implements CallerIdentity {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  async issue(userId: string): Promise<{ accessToken: string; expiresAt: Date }> {
    const accessToken = await this.jwt.signAsync({ sub: userId } satisfies TokenClaims);
    return { accessToken, expiresAt: new Date(Date.now() + this.config.jwt.ttlSeconds * 1000) };
  }

  /** Verifies an `Authorization: Bearer <token>` header; 401 otherwise. */
  async verifyBearer(header: string | undefined): Promise<AuthContext> {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new DomainException(ErrorCode.Unauthenticated, 'A bearer token is required');
    return this.verify(match[1]);
  }

  /** For rate limiting: the user of a valid token, without throwing. */
  userIdFromAuthorization(header: string | undefined): string | undefined {
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) return undefined;
    try {
      const claims = this.jwt.verify<TokenClaims>(match[1]);
      return typeof claims.sub === 'string' ? claims.sub : undefined;
    } catch {
      return undefined;
    }
  }

  async verify(token: string): Promise<AuthContext> {
    try {
      const claims = await this.jwt.verifyAsync<TokenClaims>(token);
      if (typeof claims.sub !== 'string') throw new Error('no subject');
      return { userId: claims.sub };
    } catch {
      throw new DomainException(ErrorCode.Unauthenticated, 'The token is invalid or has expired');
    }
  }
}
