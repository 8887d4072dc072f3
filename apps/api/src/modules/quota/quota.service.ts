import { Injectable } from '@nestjs/common';
import { QuotaRepository } from './quota.repository.js';

/** AI-call usage per workspace; the quota endpoints and limits build on it. */
@Injectable()
export class QuotaService {
  constructor(private readonly quota: QuotaRepository) {}

  recordAiCalls(workspaceId: string, calls = 1): Promise<void> {
    return this.quota.addCalls(workspaceId, calls);
  }

  callsToday(workspaceId: string): Promise<number> {
    return this.quota.callsToday(workspaceId);
  }
}
