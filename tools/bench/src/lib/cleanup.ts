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
