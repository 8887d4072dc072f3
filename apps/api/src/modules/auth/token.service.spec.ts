import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppConfig } from '../../infra/config/app-config.js';
import { DomainException } from '../../core/domain.exception.js';
import { TokenService, VERIFIED_TOKENS_MAX } from './token.service.js';

const SECRET = 'token-service-spec-secret-at-least-32-characters';

function tokens(ttlSeconds = 60) {
  const config = AppConfig.from({ NODE_ENV: 'test', JWT_SECRET: SECRET });
  const jwt = new JwtService({
    secret: createSecretKey(Buffer.from(SECRET, 'utf8')),
    signOptions: { expiresIn: ttlSeconds, algorithm: 'HS256' },
    verifyOptions: { algorithms: ['HS256'] },
  });
  const verify = vi.spyOn(jwt, 'verify');
  return { service: new TokenService(jwt, config), jwt, verify };
}

describe('TokenService: verified tokens are remembered until they expire', () => {
  afterEach(() => vi.useRealTimers());

  it('verifies a token once, then answers from the LRU, for both guards', async () => {
    const { service, jwt, verify } = tokens();
    const token = await jwt.signAsync({ sub: 'user-1' });
    for (let i = 0; i < 5; i++) {
      expect(service.userIdFromAuthorization(`Bearer ${token}`)).toBe('user-1');
      expect(await service.verifyBearer(`Bearer ${token}`)).toEqual({ userId: 'user-1' });
    }
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('never answers for a token past its expiry, even one it remembers', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T12:00:00.000Z') });
    const { service, jwt } = tokens(60);
    const token = await jwt.signAsync({ sub: 'user-1' });
    expect(service.userIdFromAuthorization(`Bearer ${token}`)).toBe('user-1');
    vi.setSystemTime(new Date('2026-12-01T12:00:59.998Z'));
    expect(service.userIdFromAuthorization(`Bearer ${token}`)).toBe('user-1');
    vi.setSystemTime(new Date('2026-12-01T12:01:00.000Z'));
    expect(service.userIdFromAuthorization(`Bearer ${token}`)).toBeUndefined();
    await expect(service.verifyBearer(`Bearer ${token}`)).rejects.toBeInstanceOf(DomainException);
  });

  it('remembers nothing about a token that fails, and refuses a tampered one after a good one', async () => {
    const { service, jwt, verify } = tokens();
    const token = await jwt.signAsync({ sub: 'user-1' });
    const tampered = `${token.slice(0, -2)}${token.endsWith('A') ? 'BB' : 'AA'}`;
    expect(service.userIdFromAuthorization(`Bearer ${token}`)).toBe('user-1');
    for (let i = 0; i < 3; i++) {
      expect(service.userIdFromAuthorization(`Bearer ${tampered}`)).toBeUndefined();
    }
    expect(verify).toHaveBeenCalledTimes(4);
    await expect(service.verifyBearer(`Bearer ${tampered}`)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(service.verifyBearer(undefined)).rejects.toMatchObject({
      message: 'A bearer token is required',
    });
  });

  it(`keeps at most ${VERIFIED_TOKENS_MAX} tokens, dropping the least recently used`, async () => {
    const { service, jwt, verify } = tokens();
    const first = await jwt.signAsync({ sub: 'first' });
    service.userIdFromAuthorization(`Bearer ${first}`);
    for (let i = 0; i < VERIFIED_TOKENS_MAX; i++) {
      service.userIdFromAuthorization(`Bearer ${await jwt.signAsync({ sub: `u${i}` })}`);
    }
    verify.mockClear();
    expect(service.userIdFromAuthorization(`Bearer ${first}`)).toBe('first');
    expect(verify).toHaveBeenCalledTimes(1); // evicted, so verified again
  }, 60_000); // 10,000 signatures: seconds on a loaded machine
});
