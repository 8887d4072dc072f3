import { Injectable } from '@nestjs/common';
import type { JsonValue } from '@orch/contracts';

type MaybePromise<T> = T | Promise<T>;

/**
 * What a module adds to GET /api/performance/metrics. Both halves are optional:
 * `instance` is shown to operators (every workspace's data may be in it), `workspace`
 * to a member, once per workspace they belong to (only that workspace's data).
 */
export interface FigureProvider {
  /** The key under `modules` (operators) and `figures` (members): the module's name. */
  readonly name: string;
  instance?(): MaybePromise<JsonValue>;
  workspace?(workspaceId: string): MaybePromise<JsonValue>;
}

/**
 * The registry modules contribute their figures to, so the performance module never has
 * to import them: `figures.register({ name: 'display-queue', instance: () => ... })` in the
 * module's constructor or `onModuleInit`. Read only when someone asks for the figures.
 */
@Injectable()
export class FigureProviders {
  private readonly providers = new Map<string, FigureProvider>();

  register(provider: FigureProvider): void {
    if (this.providers.has(provider.name)) {
      throw new Error(`A figure provider named ${provider.name} is already registered`);
    }
    this.providers.set(provider.name, provider);
  }

  async instance(): Promise<Record<string, JsonValue>> {
    const out: Record<string, JsonValue> = {};
    for (const provider of this.providers.values()) {
      if (provider.instance) out[provider.name] = await provider.instance();
    }
    return out;
  }

  async workspace(workspaceId: string): Promise<Record<string, JsonValue>> {
    const out: Record<string, JsonValue> = {};
    for (const provider of this.providers.values()) {
      if (provider.workspace) out[provider.name] = await provider.workspace(workspaceId);
    }
    return out;
  }
}
