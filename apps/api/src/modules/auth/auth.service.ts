import { Injectable } from '@nestjs/common';
import { type AuthResponse, ErrorCode, type User } from '@orch/contracts';
import { DomainException } from '../../core/domain.exception.js';
import { toUser } from '../users/users.mapper.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto, RegisterDto } from './dto/auth.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { TokenService } from './token.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResponse> {
    const user = await this.users.create(dto.email, dto.name, await this.hasher.hash(dto.password));
    return this.session(user);
  }

  async login(dto: LoginDto): Promise<AuthResponse> {
    const user = await this.users.findCredentials(dto.email);
    const ok = user
      ? await this.hasher.verify(user.passwordHash, dto.password)
      : await this.hasher.dummyVerify(dto.password);
    if (!user || !ok)
      throw new DomainException(ErrorCode.InvalidCredentials, 'Wrong email or password');
    return this.session(toUser(user));
  }

  me(userId: string): Promise<User> {
    return this.users.get(userId);
  }

  private async session(user: User): Promise<AuthResponse> {
    const { accessToken, expiresAt } = await this.tokens.issue(user.id);
    return { accessToken, tokenType: 'Bearer', expiresAt: expiresAt.toISOString(), user };
  }
}
