import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from './spawn-api.js';

/**
 * Debian's nginx running the project's own deploy/nginx.conf, with upstreams pointed at local
 * API processes instead of the compose service `api`. What differs from the container is
 * templated here, each change on a line the test finds exactly once (so a config that drifts
 * from what is templated fails loudly instead of being tested half):
 *
 * - `server api:3000 resolve ...` -> one `server 127.0.0.1:<port> ...` per API process, and the
 *   `resolver` (Docker's DNS) dropped: nginx < 1.27.3 has no `resolve`, and there is no `api`
 *   name to resolve here;
 * - `listen 80` -> a free loopback port; `root` -> a copy of the built web app;
 * - `user`, `pid`, logs and temp paths -> this test's directory.
 */
export interface NginxServer {
  readonly url: string;
  readonly config: string;
  accessLog(): string;
  errorLog(): string;
  stop(): Promise<void>;
}

const NGINX_CONF = join(repoRoot, 'deploy/nginx.conf');
const WEB_DIST = join(repoRoot, 'dist/apps/web');

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  const matches = text.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`));
  if (matches?.length !== 1) {
    throw new Error(
      `deploy/nginx.conf: expected exactly one match of ${String(pattern)}, found ${matches?.length ?? 0}. ` +
        'The test templates that line; update apps/api/test/support/nginx-server.ts with the config.',
    );
  }
  return text.replace(pattern, replacement);
}

export function assertNginxInstalled(): void {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `nginx is not installed or not on PATH (${probe.error?.message ?? `exit ${probe.status}`}). ` +
        'This test runs the deployment proxy configuration: apt-get install nginx (.ci/run does).',
    );
  }
}

/** The project's config, templated for this machine. */
export function templateConfig(options: {
  dir: string;
  port: number;
  upstreams: readonly string[];
  webRoot: string;
}): string {
  const { dir, port, upstreams, webRoot } = options;
  let conf = readFileSync(NGINX_CONF, 'utf8');
  const root = userInfo().uid === 0;
  conf = replaceOnce(conf, /^user\s+nginx;$/m, root ? 'user  nobody nogroup;' : '');
  conf = replaceOnce(conf, /^error_log\s+\S+\s+notice;$/m, `error_log  ${dir}/error.log notice;`);
  conf = replaceOnce(conf, /^pid\s+\S+;$/m, `pid  ${dir}/nginx.pid;`);
  conf = replaceOnce(
    conf,
    /access_log\s+\/var\/log\/nginx\/access\.log\s+main;/,
    `access_log  ${dir}/access.log  main;`,
  );
  conf = replaceOnce(conf, /^\s*resolver\s+127\.0\.0\.11[^;]*;\n\s*resolver_timeout[^;]*;$/m, '');
  conf = replaceOnce(
    conf,
    /^(\s*)server\s+api:3000 resolve (max_fails=\S+ fail_timeout=\S+);$/m,
    upstreams.map((u) => `$1server  ${new URL(u).host} $2;`).join('\n'),
  );
  conf = replaceOnce(
    conf,
    /listen\s+80 default_server;/,
    `listen  127.0.0.1:${port} default_server;`,
  );
  conf = replaceOnce(conf, /root\s+\/usr\/share\/nginx\/html;/, `root  ${webRoot};`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `    ${name}_temp_path  ${dir}/${name}_temp;`)
    .join('\n');
  conf = replaceOnce(conf, /^http \{$/m, `http {\n${temp}`);
  return conf;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Checks the templated config with `nginx -t`, then runs nginx in the foreground. */
export async function startNginx(upstreams: readonly string[]): Promise<NginxServer> {
  assertNginxInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'orch-test-nginx-'));
  chmodSync(dir, 0o755); // the workers run as `nobody`: they read the web root and write temp
  const webRoot = join(dir, 'html');
  cpSync(WEB_DIST, webRoot, { recursive: true });
  for (const name of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, `${name}_temp`), { mode: 0o777 });
    chmodSync(join(dir, `${name}_temp`), 0o777);
  }
  const port = await freePort();
  const config = templateConfig({ dir, port, upstreams, webRoot });
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config);

  const check = spawnSync('nginx', ['-t', '-c', file, '-p', dir], { encoding: 'utf8' });
  if (check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `nginx -t refused the templated deploy/nginx.conf:\n${check.stderr}\n${config}`,
    );
  }

  let output = '';
  const child: ChildProcess = spawn('nginx', ['-c', file, '-p', dir, '-g', 'daemon off;'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const url = `http://127.0.0.1:${port}`;
  const read = (name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not answer /healthz:\n${output}\n${read('error.log')}`);
    }
    await sleep(50);
  }
  return {
    url,
    config,
    accessLog: () => read('access.log'),
    errorLog: () => read('error.log'),
    stop: async () => {
      process.off('exit', reap);
      if (child.exitCode === null && child.signalCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
