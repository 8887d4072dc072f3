/**
 * The ceiling: what this machine serves with the framework out of the way.
 * A bare Fastify (the version the API runs on, without Nest) in its own
 * process, started by the harness:
 *
 *   GET /bytes/<scenario>   the exact body bytes (and content-type) the optimized
 *                           API answered for that scenario, from memory
 *   GET /sql/agents?workspaceId=&limit=
 *   GET /sql/thinking?workspaceId=&processes=&stepsPerProcess=
 *                           the optimized path's SQL over a pg.Pool of the
 *                           API's size, serialised with JSON.stringify
 *
 *   node dist/tools/bench/src/ceiling/server.js <port> <routes.json> [<database url>]
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import pg from 'pg';
import { agentsPage } from '../scenarios/agents/sql.js';
import { thinkingPage } from '../scenarios/thinking/sql.js';

export interface CeilingRoutes {
  bytes: { name: string; contentType: string; base64: string }[];
}

async function main(): Promise<void> {
  const [portArg, routesFile, databaseUrl] = process.argv.slice(2);
  const port = Number(portArg);
  if (!Number.isInteger(port) || !routesFile) {
    throw new Error('usage: server.js <port> <routes.json> [<database url>]');
  }
  const routes = JSON.parse(readFileSync(routesFile, 'utf8')) as CeilingRoutes;
  const app = Fastify({ logger: false });
  app.get('/api/health', () => ({ status: 'ok' }));

  for (const route of routes.bytes) {
    const body = Buffer.from(route.base64, 'base64');
    app.get(`/bytes/${route.name}`, (_request, reply) => {
      void reply.header('content-type', route.contentType).header('x-db-queries', '0').send(body);
    });
  }

  let pool: pg.Pool | undefined;
  if (databaseUrl) {
    pool = new pg.Pool({
      connectionString: databaseUrl,
      max: Number(process.env.DB_POOL_MAX ?? 10),
    });
    // A pool without an 'error' listener crashes the process when PostgreSQL goes away.
    pool.on('error', () => undefined);
    const db = pool;
    const int = (value: unknown, fallback: number) =>
      typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
    // X-DB-Queries like the API's: the statements this request sent.
    app.get('/sql/agents', async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const { page, statements } = await agentsPage(db, String(q.workspaceId), int(q.limit, 20));
      void reply.header('x-db-queries', String(statements));
      return page;
    });
    app.get('/sql/thinking', async (request, reply) => {
      const q = request.query as Record<string, unknown>;
      const { page, statements } = await thinkingPage(
        db,
        String(q.workspaceId),
        int(q.processes, 10),
        int(q.stepsPerProcess, 20),
      );
      void reply.header('x-db-queries', String(statements));
      return page;
    });
  }

  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`ceiling listening on ${port}\n`);
  const stop = () => {
    void app
      .close()
      .then(() => pool?.end())
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(`ceiling failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
