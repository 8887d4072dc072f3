import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time, from /proc (Linux; elsewhere every figure is undefined): of the
 * API process under test, of the PostgreSQL server (postmaster and all its
 * backends, exited ones included), of this bench process, and of the whole
 * machine. CPU per request is far less sensitive to what else runs on the
 * box than latency is, and the machine total shows how much else ran.
 */
export interface CpuSnapshot {
  at: number;
  apiMs: number | undefined;
  pgMs: number | undefined;
  clientMs: number;
  machine: { busyMs: number; totalMs: number } | undefined;
}

export interface CpuUse {
  /** Microseconds of CPU per completed request. */
  apiUs: number | undefined;
  pgUs: number | undefined;
  clientUs: number;
  /** Share of all cores busy during the phase, 0..1. */
  machineBusy: number | undefined;
  /** Share of all cores used by anything other than the three above, 0..1. */
  others: number | undefined;
}

const TICK_MS = 1000 / clockTicks();

function clockTicks(): number {
  try {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
}

/** utime, stime, cutime, cstime and ppid of a process, in ticks. */
function procStat(
  pid: number | string,
): { ppid: number; own: number; children: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i]);
  return { ppid: n(1), own: n(11) + n(12), children: n(13) + n(14) };
}

export class CpuMeter {
  constructor(
    private readonly apiPid: number | undefined,
    private readonly postmasterPid: number | undefined,
  ) {}

  snapshot(): CpuSnapshot {
    const usage = process.cpuUsage();
    // The load generator: this process, plus wrk runs it has reaped (a child's CPU is added
    // to its parent's cutime/cstime when it exits; the API processes live through a round).
    const reaped = procStat(process.pid)?.children ?? 0;
    return {
      at: performance.now(),
      apiMs: this.apiTicks(),
      pgMs: this.postgresTicks(),
      clientMs: (usage.user + usage.system) / 1000 + reaped * TICK_MS,
      machine: machineTicks(),
    };
  }

  private apiTicks(): number | undefined {
    if (this.apiPid === undefined) return undefined;
    const stat = procStat(this.apiPid);
    return stat ? stat.own * TICK_MS : undefined;
  }

  /** The postmaster, its reaped children, and its live children (the backends). */
  private postgresTicks(): number | undefined {
    if (this.postmasterPid === undefined) return undefined;
    const postmaster = procStat(this.postmasterPid);
    if (!postmaster) return undefined;
    let ticks = postmaster.own + postmaster.children;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = procStat(entry);
      if (stat?.ppid === this.postmasterPid) ticks += stat.own;
    }
    return ticks * TICK_MS;
  }

  static use(before: CpuSnapshot, after: CpuSnapshot, requests: number): CpuUse {
    const perRequest = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined || requests === 0
        ? undefined
        : ((b - a) * 1000) / requests;
    let machineBusy: number | undefined;
    let others: number | undefined;
    if (before.machine && after.machine) {
      const total = after.machine.totalMs - before.machine.totalMs;
      const busy = after.machine.busyMs - before.machine.busyMs;
      if (total > 0) {
        machineBusy = busy / total;
        const ours =
          (after.apiMs ?? 0) -
          (before.apiMs ?? 0) +
          (after.pgMs ?? 0) -
          (before.pgMs ?? 0) +
          (after.clientMs - before.clientMs);
        others = Math.max(0, (busy - ours) / total);
      }
    }
    return {
      apiUs: perRequest(before.apiMs, after.apiMs),
      pgUs: perRequest(before.pgMs, after.pgMs),
      clientUs: ((after.clientMs - before.clientMs) * 1000) / Math.max(1, requests),
      machineBusy,
      others,
    };
  }
}

/** All cores together, from the first line of /proc/stat. */
function machineTicks(): { busyMs: number; totalMs: number } | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return undefined;
  }
  if (!line?.startsWith('cpu ')) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already in user).
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((sum, x) => sum + x, 0);
  const idle = v[3] + v[4];
  return { busyMs: (total - idle) * TICK_MS, totalMs: total * TICK_MS };
}

/** The postmaster of the server a connection runs on, if that server runs on this machine. */
export function postmasterOf(backendPid: number): number | undefined {
  const backend = procStat(backendPid);
  if (!backend) return undefined;
  try {
    const comm = readFileSync(`/proc/${backend.ppid}/comm`, 'utf8').trim();
    return comm.startsWith('postgres') ? backend.ppid : undefined;
  } catch {
    return undefined;
  }
}
