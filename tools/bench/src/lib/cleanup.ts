/**
 * What the run has started and must undo, undone in reverse order exactly
 * once: on success, on failure, on Ctrl-C and when the watchdog fires.
 */
export class Cleanup {
  private readonly tasks: { name: string; undo: () => Promise<void> }[] = [];
  private draining: Promise<void> = Promise.resolve();

  add(name: string, undo: () => Promise<void>): void {
    this.tasks.push({ name, undo });
  }

  /** Undoes everything added so far; safe to call again (later additions are undone then). */
  run(): Promise<void> {
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  private async drain(): Promise<void> {
    for (let task = this.tasks.pop(); task; task = this.tasks.pop()) {
      try {
        await withTimeout(task.undo(), 30_000, `cleanup: ${task.name}`);
      } catch (error) {
        console.error(`cleanup: ${task.name} failed: ${errorMessage(error)}`);
      }
    }
  }
}

export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: gave up after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Ctrl-C, SIGTERM or the watchdog: abort `stop` (so whatever waits on the run
 * fails fast), start the cleanup, and exit with `exitCode` if the run's own
 * `finally` doesn't within a minute. Returns the watchdog, for clearTimeout.
 */
export function stopOnSignalsOrTimeout(
  stop: AbortController,
  cleanup: Cleanup,
  timeoutMs: number,
  onAbort: (exitCode: number) => void,
): NodeJS.Timeout {
  const abort = (why: string, exitCode: number) => {
    if (stop.signal.aborted) return;
    onAbort(exitCode);
    console.error(`[bench] ${why}: stopping and cleaning up`);
    stop.abort(new Error(why));
    void cleanup.run();
    setTimeout(() => process.exit(exitCode), 60_000).unref();
  };
  process.on('SIGINT', () => abort('SIGINT', 130));
  process.on('SIGTERM', () => abort('SIGTERM', 143));
  return setTimeout(() => abort(`still running after ${timeoutMs / 1000} s`, 1), timeoutMs);
}
