import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { UserEntity } from './entities/user.entity.js';

@Injectable()
export class UsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  /** Inserts unless the email is taken; returns null when it is (no exception round trip). */
  async insertIfEmailFree(
    user: Pick<UserEntity, 'email' | 'name' | 'passwordHash'>,
  ): Promise<UserEntity | null> {
    const rows = await this.users
      .createQueryBuilder()
      .insert()
      .into(UserEntity)
      .values(user)
      .orIgnore()
      .returning('*')
      .execute();
    const raw = rows.raw as Record<string, unknown>[];
    if (raw.length === 0) return null;
    return this.users.create({
      id: raw[0].id as string,
      email: raw[0].email as string,
      name: raw[0].name as string,
      passwordHash: raw[0].password_hash as string,
      createdAt: raw[0].created_at as Date,
      updatedAt: raw[0].updated_at as Date,
    });
  }
}
