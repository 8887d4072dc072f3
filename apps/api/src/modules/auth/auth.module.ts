import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../../infra/config/app-config.js';
import { CallerIdentity } from '../../infra/throttling/caller-identity.js';
import { RateLimitGuard } from '../../infra/throttling/rate-limit.guard.js';
import { RateLimitModule } from '../../infra/throttling/rate-limit.module.js';
import { UsersModule } from '../users/users.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { Operators } from './operators.js';
import { PasswordHasher } from './password-hasher.js';
import { RouteAudit } from './route-audit.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    DiscoveryModule,
    RateLimitModule,
    UsersModule,
    WorkspacesModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not the string: jsonwebtoken first tries a string secret as a PEM
        // key and fails, which cost ~0.4 ms of CPU per token check (13 us with this).
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
        signOptions: { expiresIn: config.jwt.ttlSeconds, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordHasher,
    TokenService,
    RouteAudit,
    Operators,
    { provide: CallerIdentity, useExisting: TokenService },
    // Order matters: rate limiting first, so refused logins and bad tokens count too.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [TokenService, PasswordHasher, RouteAudit, Operators],
})
export class AuthModule {}
