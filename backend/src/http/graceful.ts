import type { Server } from 'node:http';

/**
 * Stops an HTTP server without cutting requests short: it stops accepting connections, ends
 * the long-lived responses (`drain`: event streams, whose clients resume elsewhere), lets
 * in-flight requests finish for up to `graceMs`, then closes whatever is still open.
 * Resolves 'drained' when every request finished in time, 'timed_out' otherwise.
 */
export async function closeGracefully(server: Server, drain: () => void, graceMs: number): Promise<'drained' | 'timed_out'> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  drain();
  // close() drops the connections idle right now; one that finishes its response later stays
  // open until its keep-alive timeout (5 s) unless dropped again, hence the sweep.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed_out'>((resolve) => {
    timer = setTimeout(() => resolve('timed_out'), graceMs);
  });
  const outcome = await Promise.race([closed.then(() => 'drained' as const), timeout]);
  clearTimeout(timer);
  clearInterval(sweep);
  if (outcome === 'timed_out') {
    server.closeAllConnections();
    await closed;
  }
  return outcome;
}
