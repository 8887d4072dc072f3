import { Logger } from '@nestjs/common';

export interface Timer {
  cancel(): void;
}

/**
 * Time for code that schedules its own work (the goal monitor): what time it
 * is, and "run this later". Injected, so a test can hand the app a clock it
 * moves by hand and see hours of schedule in milliseconds.
 */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;

  /**
   * Runs `task` once after `delayMs`. A timer never keeps the process alive;
   * a task that rejects is logged.
   */
  abstract schedule(delayMs: number, task: () => Promise<void> | void): Timer;
}

/** The real clock: Date.now() and unref'd timers. */
export class SystemClock extends Clock {
  private readonly logger = new Logger('Clock');

  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, task: () => Promise<void> | void): Timer {
    const handle = setTimeout(
      () => {
        Promise.resolve()
          .then(task)
          .catch((error: unknown) => this.logger.error(`scheduled task failed: ${String(error)}`));
      },
      // setTimeout fires at once for anything above 2^31 - 1 ms.
      Math.min(Math.max(0, delayMs), 2_147_483_647),
    );
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  }
}
