import { Injectable, type OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { API_PREFIX } from '../../infra/http/api-prefix.js';
import { ACCESS_KEY, type AccessRule } from './access.decorators.js';

export interface AuditedRoute {
  controller: string;
  handler: string;
  method: string;
  path: string;
  rule: AccessRule | undefined;
}

/**
 * Lists every HTTP route with its access rule, and stops the app from booting
 * when any handler has none. Tests use the same list to check that every
 * workspace-scoped route answers 404 to a non-member.
 */
@Injectable()
export class RouteAudit implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  routes(): AuditedRoute[] {
    return this.discovery.getControllers().flatMap((wrapper) => {
      const instance = wrapper.instance as object | undefined;
      if (!instance || !wrapper.metatype) return [];
      const controllerClass = wrapper.metatype;
      const prefixes = ([] as string[]).concat(
        (Reflect.getMetadata('path', controllerClass) as string | string[] | undefined) ?? '',
      );
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      return this.scanner.getAllMethodNames(prototype).flatMap((name) => {
        const handler = prototype[name] as object;
        const path = Reflect.getMetadata('path', handler) as string | string[] | undefined;
        const method = Reflect.getMetadata('method', handler) as RequestMethod | undefined;
        if (path === undefined || method === undefined) return [];
        const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
          handler as () => unknown,
          controllerClass,
        ]);
        return prefixes.flatMap((prefix) =>
          ([] as string[]).concat(path).map((p) => ({
            controller: controllerClass.name,
            handler: name,
            method: RequestMethod[method],
            path:
              '/' +
              [API_PREFIX, prefix, p]
                .map((s) => s.replace(/^\/|\/$/g, ''))
                .filter(Boolean)
                .join('/'),
            rule,
          })),
        );
      });
    });
  }

  onApplicationBootstrap(): void {
    const missing = this.routes().filter((r) => !r.rule);
    if (missing.length > 0) {
      throw new Error(
        `Routes without an access rule (@Public, @Authenticated or @WorkspaceScoped): ${missing
          .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`)
          .join(', ')}`,
      );
    }
  }
}
