import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../infra/config/app-config.js';
import { UsersService } from '../users/users.service.js';

/** Users whose answer is remembered; past it the memory starts again (a rare extra lookup). */
const REMEMBERED_MAX = 10_000;

/**
 * Who is an operator: an account whose email OPERATOR_EMAILS names, or the seeded demo
 * user. Operators read the instance-wide figures (every tenant's SQL, every cache) and
 * flush caches. An account's email never changes and the list is read at start, so the
 * answer is remembered per user: one primary-key read the first time a user asks.
 */
@Injectable()
export class Operators {
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  async isOperator(userId: string): Promise<boolean> {
    if (this.config.operatorEmails.size === 0) return false;
    const known = this.known.get(userId);
    if (known !== undefined) return known;
    const user = await this.users.get(userId);
    const answer = this.config.operatorEmails.has(user.email.toLowerCase());
    if (this.known.size >= REMEMBERED_MAX) this.known.clear();
    this.known.set(userId, answer);
    return answer;
  }
}
