import type { AuthResponse, ErrorResponse, User } from '@orch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factory } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers, logs in and answers who am I', async () => {
    const reg = await t.api.post<AuthResponse>('/api/auth/register', {
      email: '  Ada@Example.com ',
      password: 'correct horse',
      name: 'Ada',
    });
    // class-validator refuses the padded email: the client gets a 400, not a mangled account
    expect(reg.status).toBe(400);

    const ok = await t.api.post<AuthResponse>('/api/auth/register', {
      email: 'Ada@Example.com',
      password: 'correct horse',
      name: 'Ada',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(ok.body.tokenType).toBe('Bearer');
    expect(JSON.stringify(ok.body)).not.toContain('password');

    const login = await t.api.post<AuthResponse>('/api/auth/login', {
      email: 'ADA@example.com',
      password: 'correct horse',
    });
    expect(login.status).toBe(200);
    expect(new Date(login.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 60_000);

    const me = await t.api.get<User>('/api/auth/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(ok.body.user.id);

    const stored = await t.db.query<{ password_hash: string }[]>(
      `SELECT password_hash FROM users WHERE email = 'ada@example.com'`,
    );
    expect(stored[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const user = await factory(t.api).user();
    const wrong = await t.api.post<ErrorResponse>('/api/auth/login', {
      email: user.email,
      password: 'nope-nope',
    });
    const unknown = await t.api.post<ErrorResponse>('/api/auth/login', {
      email: 'nobody@example.com',
      password: 'nope-nope',
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Wrong email or password',
        code: 'INVALID_CREDENTIALS',
      });
    }
  });

  it('answers 409 for a taken email and writes nothing', async () => {
    const user = await factory(t.api).user();
    const again = await t.api.post<ErrorResponse>('/api/auth/register', {
      email: user.email.toUpperCase(),
      password: 'another-password',
      name: 'Someone else',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EMAIL_TAKEN');
    const rows = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM users WHERE email = $1`,
      [user.email.toLowerCase()],
    );
    expect(rows[0].n).toBe(1);
  });

  it('names every bad field in a 400 and writes no row', async () => {
    const before = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM users`);
    const res = await t.api.post<ErrorResponse>('/api/auth/register', {
      email: 'not-an-email',
      password: 'short',
      extra: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details?.map((d) => d.field).sort();
    expect(fields).toEqual(['email', 'extra', 'name', 'password']);
    const after = await t.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM users`);
    expect(after[0].n).toBe(before[0].n);
  });

  it('answers 400, not 500, to a body that is not JSON', async () => {
    const res = await t.api.request<ErrorResponse>('POST', '/api/auth/login', {
      body: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('refuses missing, malformed, forged and expired tokens with 401', async () => {
    const user = await factory(t.api).user();
    const [header, payload] = user.token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    const expired = await t.app
      .get((await import('@nestjs/jwt')).JwtService)
      .signAsync({ sub: user.userId }, { expiresIn: -10 });
    for (const authorization of [
      undefined,
      'Basic abc',
      `Bearer ${forged}`,
      `Bearer ${expired}`,
      'Bearer',
    ]) {
      const res = await t.api.get<ErrorResponse>('/api/auth/me', {
        headers: authorization ? { authorization } : {},
      });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    }
  });
});
