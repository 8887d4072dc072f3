import { Injectable } from '@nestjs/common';
import { ErrorCode, type User } from '@orch/contracts';
import { DomainException } from '../../core/domain.exception.js';
import type { UserEntity } from './entities/user.entity.js';
import { toUser } from './users.mapper.js';
import { UsersRepository } from './users.repository.js';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** With the password hash: for authentication only, never returned to a client. */
  findCredentials(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(normaliseEmail(email));
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findByEmail(normaliseEmail(email));
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    // A valid token for a deleted user is as good as no token.
    if (!user)
      throw new DomainException(ErrorCode.Unauthenticated, 'The token is invalid or has expired');
    return toUser(user);
  }

  async create(email: string, name: string, passwordHash: string): Promise<User> {
    const user = await this.users.insertIfEmailFree({
      email: normaliseEmail(email),
      name: name.trim(),
      passwordHash,
    });
    if (!user)
      throw new DomainException(ErrorCode.EmailTaken, 'An account with that email already exists');
    return toUser(user);
  }
}
