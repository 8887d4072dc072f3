// Preloaded into a built API process by the soak test (NODE_OPTIONS="--expose-gc --require
// <this file>"): every MEMORY_PROBE_MS it runs a full garbage collection (when --expose-gc is
// on) and prints the heap still in use and the RSS, so the test reads what the process keeps,
// not how far its young generation happened to fill. Not part of the app.
const everyMs = Number(process.env.MEMORY_PROBE_MS || 1000);
globalThis
  .setInterval(() => {
    if (typeof globalThis.gc === 'function') globalThis.gc();
    const { heapUsed, rss } = process.memoryUsage();
    process.stdout.write(`[memory-probe] heapUsed=${heapUsed} rss=${rss}\n`);
  }, everyMs)
  .unref();
