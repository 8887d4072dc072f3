import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Load, Request } from './load.js';

/**
 * wrk (C, `apt-get install wrk`) as the load generator of the GET reads, when
 * it is installed. On two cores the load generator shares the machine with the
 * server under test: undici in this process costs ~45 us of CPU per request,
 * about twice what a bare Fastify spends answering, so against the ceiling it
 * measures the load generator more than the server. wrk costs a fraction of
 * that (its CPU is reported per request like undici's). A Lua script counts
 * the answers per status and second, reads X-DB-Queries and reports the
 * latency percentiles at the end; requests still in flight when the duration
 * ends are not counted (wrk's rule), which is why the mixed workload, whose
 * tail matters, stays on undici.
 */

// Globals, not locals: the main thread reads each thread's with thread:get().
const SCRIPT = `
counts = { ok = 0, bad = 0, qsum = 0, qn = 0 }
seen = {}
seconds = {}
start = os.time()
threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  counts = { ok = 0, bad = 0, qsum = 0, qn = 0 }
  seen = {}
  seconds = {}
  start = os.time()
end
function response(status, headers, body)
  if status >= 200 and status < 300 then
    counts.ok = counts.ok + 1
    local s = os.time() - start
    seconds[s] = (seconds[s] or 0) + 1
    local q = headers["x-db-queries"] or headers["X-DB-Queries"]
    if q then
      local n = tonumber(q)
      counts.qsum = counts.qsum + n
      counts.qn = counts.qn + 1
      seen[n] = true
    end
  else
    counts.bad = counts.bad + 1
  end
end
function done(summary, latency, requests)
  local ok, bad, qsum, qn = 0, 0, 0, 0
  local all_seen, all_seconds = {}, {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    ok = ok + c.ok; bad = bad + c.bad; qsum = qsum + c.qsum; qn = qn + c.qn
    for k, _ in pairs(t:get("seen")) do all_seen[k] = true end
    for s, n in pairs(t:get("seconds")) do all_seconds[s] = (all_seconds[s] or 0) + n end
  end
  local seen_list, sec_list = {}, {}
  for k, _ in pairs(all_seen) do table.insert(seen_list, tostring(k)) end
  local last = -1
  for s, _ in pairs(all_seconds) do if s > last then last = s end end
  for s = 0, last do table.insert(sec_list, tostring(all_seconds[s] or 0)) end
  io.write(string.format(
    'WRK-JSON {"ok":%d,"bad":%d,"socketErrors":%d,"timeouts":%d,"durationUs":%d,' ..
    '"p50":%f,"p95":%f,"p99":%f,"max":%f,"mean":%f,"qsum":%d,"qn":%d,"seen":[%s],"perSecond":[%s]}\\n',
    ok, bad, summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.timeout, summary.duration,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, qsum, qn,
    table.concat(seen_list, ","), table.concat(sec_list, ",")))
end
`;

let scriptPath: string | undefined;
let available: boolean | undefined;

/** Is wrk on the PATH? (Checked once.) */
export function wrkAvailable(): boolean {
  available ??= spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
  return available;
}

interface WrkReport {
  ok: number;
  bad: number;
  socketErrors: number;
  timeouts: number;
  durationUs: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  qsum: number;
  qn: number;
  seen: number[];
  perSecond: number[];
}

/** The same GET on `connections` connections for `durationMs`, by wrk. */
export async function hammerWithWrk(
  origin: string,
  request: Request,
  options: { connections: number; durationMs: number; timeoutMs: number },
  signal: AbortSignal,
): Promise<Load> {
  if (request.method !== 'GET') throw new Error(`wrk drives GET reads only, not ${request.method}`);
  if (!scriptPath) {
    scriptPath = join(mkdtempSync(join(tmpdir(), 'bench-wrk-')), 'report.lua');
    writeFileSync(scriptPath, SCRIPT);
  }
  const args = [
    `-t${Math.min(2, options.connections)}`,
    `-c${options.connections}`,
    `-d${Math.max(1, Math.round(options.durationMs / 1000))}s`,
    `--timeout`,
    `${Math.max(1, Math.ceil(options.timeoutMs / 1000))}s`,
    '-s',
    scriptPath,
    '-H',
    'accept: application/json',
  ];
  for (const [name, value] of Object.entries(request.headers ?? {}))
    args.push('-H', `${name}: ${value}`);
  args.push(`${origin}${request.path}`);
  const output = await run('wrk', args, signal);
  const line = output.split('\n').find((l) => l.startsWith('WRK-JSON '));
  if (!line) throw new Error(`wrk printed no report:\n${output}`);
  const r = JSON.parse(line.slice('WRK-JSON '.length)) as WrkReport;
  const elapsedMs = r.durationUs / 1000;
  return {
    requests: r.ok,
    errors: r.bad + r.socketErrors,
    timeouts: r.timeouts,
    elapsedMs,
    rps: r.ok / (elapsedMs / 1000),
    latency: { count: r.ok, mean: r.mean, p50: r.p50, p95: r.p95, p99: r.p99, max: r.max },
    queriesPerRequest: r.qn > 0 ? r.qsum / r.qn : undefined,
    queriesSeen: [...r.seen].sort((a, b) => a - b),
    perSecond: r.perSecond,
  };
}

function run(command: string, args: string[], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const abort = () => child.kill('SIGKILL');
    signal.addEventListener('abort', abort, { once: true });
    child.once('error', reject);
    child.once('close', (code) => {
      signal.removeEventListener('abort', abort);
      if (signal.aborted) reject(signal.reason);
      else if (code === 0) resolve(out);
      else reject(new Error(`${command} exited with ${code}:\n${out}`));
    });
  });
}
