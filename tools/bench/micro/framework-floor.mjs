// What the framework under the API costs for one cached read, layer by layer: the same
// 296-byte JSON answer (a workspace's metadata) served by
//
//   fastify           a bare Fastify (the harness's ceiling), the answer and two headers (and
//                     content-length, as everywhere)
//   fastify+headers   the same, with the twelve headers the API sends on a cached read
//   nest              Nest 12 on that Fastify: a controller method returning the bytes
//   nest+guards       plus what every API route has: two global guards (synchronous, as a
//                     cache hit is) and a parameter decorator reading what they resolved
//   nest+guards+als   plus the request context: AsyncLocalStorage entered in `onRequest`,
//                     as the API does for its query accounting (async hooks on Node 20)
//
// each in its own process, driven by wrk (16 connections) in alternating rounds; req/s and
// the server's CPU per request from /proc (user + system). docs/hot-path.md quotes it.
// Run: node tools/bench/micro/framework-floor.mjs [rounds] [seconds]
import { Buffer } from 'node:buffer';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const VARIANTS = ['fastify', 'fastify+headers', 'nest', 'nest+guards', 'nest+guards+als'];
const BODY = Buffer.from(
  JSON.stringify({
    id: '60f65a46-7123-471c-874c-9a2005fe662a',
    name: 'Globex Strategy Desk',
    description: 'Competitive analysis, pricing studies and quarterly forecasts for leadership.',
    ownerId: 'f220ee63-3466-4798-b7d7-3253f7f2f6da',
    createdAt: '2026-10-03T03:24:52.917Z',
    updatedAt: '2026-10-03T03:24:52.917Z',
  }),
);
const TOKEN = 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl';

/** The eleven headers the API sets on a cached GET /api/workspaces/:id (Fastify adds content-length). */
function apiHeaders(reply, n) {
  reply
    .header('x-ratelimit-limit', '100000000')
    .header('x-ratelimit-remaining', String(99_999_999 - n))
    .header('x-ratelimit-reset', '60')
    .header('ratelimit-policy', '"user";q=100000000;w=60')
    .header('ratelimit', `"user";r=${99_999_999 - n};t=60`)
    .header('content-type', 'application/json; charset=utf-8')
    .header('etag', '"n-OZpNqVg11Plh16kqPmLlJBcmw"')
    .header('cache-control', 'private, no-cache')
    .header('x-request-id', randomUUID())
    .header('x-db-queries', '0')
    .header('server-timing', `db;dur=0.00, app;dur=${(n % 100) / 100}`);
}

async function serve(variant, port) {
  const { default: Fastify } = await import('fastify');
  if (variant.startsWith('fastify')) {
    const app = Fastify({ logger: false });
    let n = 0;
    app.get('/workspace', (_request, reply) => {
      if (variant === 'fastify+headers') apiHeaders(reply, n++);
      else
        void reply
          .header('content-type', 'application/json; charset=utf-8')
          .header('x-db-queries', '0');
      void reply.send(BODY);
    });
    await app.listen({ port, host: '127.0.0.1' });
    return;
  }
  await import('reflect-metadata');
  const { NestFactory, APP_GUARD } = await import('@nestjs/core');
  const { FastifyAdapter } = await import('@nestjs/platform-fastify');
  const common = await import('@nestjs/common');
  const { AsyncLocalStorage } = await import('node:async_hooks');
  const guards = variant !== 'nest';
  const als = variant === 'nest+guards+als';

  // Two guards shaped like the API's: a rule per handler, the caller from a header.
  const rules = new WeakMap();
  class RateLimitGuard {
    canActivate(context) {
      const handler = context.getHandler();
      if (!rules.has(handler)) rules.set(handler, { limit: 1e8 });
      context.switchToHttp().getRequest().hits = 1;
      return true;
    }
  }
  const members = new Map([[TOKEN, { workspaceId: 'w', role: 'owner' }]]);
  class AccessGuard {
    canActivate(context) {
      const request = context.switchToHttp().getRequest();
      request.access = members.get(request.headers.authorization);
      return request.access !== undefined;
    }
  }
  const CurrentAccess = common.createParamDecorator(
    (_data, context) => context.switchToHttp().getRequest().access,
  );

  let n = 0;
  class Controller {
    get(_access, reply) {
      apiHeaders(reply, n++);
      return BODY;
    }
  }
  const method = Object.getOwnPropertyDescriptor(Controller.prototype, 'get');
  common.Res({ passthrough: true })(Controller.prototype, 'get', 1);
  if (guards) CurrentAccess()(Controller.prototype, 'get', 0);
  Reflect.decorate([common.Get('workspace')], Controller.prototype, 'get', method);
  common.Controller()(Controller);
  class AppModule {}
  common.Module({
    controllers: [Controller],
    providers: guards
      ? [
          { provide: APP_GUARD, useClass: RateLimitGuard },
          { provide: APP_GUARD, useClass: AccessGuard },
        ]
      : [],
  })(AppModule);

  const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
  if (als) {
    const storage = new AsyncLocalStorage();
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRequest', (_request, _reply, done) => storage.run({ queries: 0 }, done));
  }
  await app.listen(port, '127.0.0.1');
}

// ---- the driver -------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
};
const TICK_US = 1e6 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

function wrk(url, seconds) {
  const out = execFileSync(
    'wrk',
    ['-t1', '-c16', `-d${seconds}s`, '-H', `authorization: ${TOKEN}`, url],
    { encoding: 'utf8' },
  );
  const requests = Number(/(\d+) requests in/.exec(out)[1]);
  return { requests, rps: requests / seconds };
}

async function start(variant) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '--serve', variant, port],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}/workspace`;
  for (let i = 0; ; i++) {
    try {
      const res = await request(url, { headers: { authorization: TOKEN } });
      const bytes = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200 || !bytes.equals(BODY))
        throw new Error(`${variant}: wrong answer`);
      return { variant, child, url };
    } catch (error) {
      if (i > 100 || String(error).includes('wrong answer')) throw error;
      await sleep(100);
    }
  }
}

async function main() {
  const [roundsArg, secondsArg] = process.argv.slice(2);
  const rounds = Number(roundsArg ?? 3);
  const seconds = Number(secondsArg ?? 6);
  // wrk --version exits 1 (it prints its usage): look for the program instead.
  execFileSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' });
  const servers = [];
  for (const variant of VARIANTS) servers.push(await start(variant));
  const figures = new Map(VARIANTS.map((v) => [v, []]));
  try {
    for (const server of servers) wrk(server.url, 2); // warm-up: JIT, connections
    for (let round = 1; round <= rounds; round++) {
      for (const server of servers) {
        const before = cpuTicks(server.child.pid);
        const { requests, rps } = wrk(server.url, seconds);
        const cpuUs = ((cpuTicks(server.child.pid) - before) * TICK_US) / requests;
        figures.get(server.variant).push({ rps, cpuUs });
        console.error(
          `round ${round} ${server.variant.padEnd(16)} ${Math.round(rps)} req/s ${cpuUs.toFixed(1)} µs`,
        );
      }
    }
  } finally {
    for (const server of servers) server.child.kill();
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ceiling = median(figures.get('fastify').map((f) => f.rps));
  console.log(
    `\nload average ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}, Node ${process.version}, median of ${rounds} rounds of ${seconds} s\n`,
  );
  console.log('| server | req/s | of bare Fastify | CPU µs per request |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const variant of VARIANTS) {
    const rps = median(figures.get(variant).map((f) => f.rps));
    const cpu = median(figures.get(variant).map((f) => f.cpuUs));
    console.log(
      `| ${variant} | ${Math.round(rps).toLocaleString('en')} | ${Math.round((100 * rps) / ceiling)}% | ${cpu.toFixed(1)} |`,
    );
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3], Number(process.argv[4]));
} else {
  await main();
}
