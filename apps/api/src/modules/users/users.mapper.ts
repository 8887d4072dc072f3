import type { User } from '@orch/contracts';
import type { UserEntity } from './entities/user.entity.js';

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    name: entity.name,
    createdAt: entity.createdAt.toISOString(),
  };
}
