import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/net';
import { waitForRedis } from '../../scripts/lib/redis';

export const hasRedisServer = () => spawnSync('redis-server', ['--version']).status === 0;

/**
 * A redis-server of the test's own, which the test may kill and start again: an append-only
 * file fsynced on every write means a restart keeps everything Redis acknowledged, as a
 * production Redis with AOF does.
 */
export class OwnedRedis {
  private child: ChildProcess | null = null;
  private dir = '';
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private alive(): boolean {
    // A SIGKILLed child keeps exitCode null: its signalCode says it is gone.
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Idempotent: a second server on the port would fail to bind, and kill() would aim at it. */
  async start(): Promise<void> {
    if (this.alive()) return;
    if (!this.dir) {
      this.dir = await mkdtemp(join(tmpdir(), 'patchpad-owned-redis-'));
      this.port = await freePort();
    }
    this.child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    const child = this.child;
    // Fails at once, saying so, if the server exits (a port taken meanwhile) instead of answering.
    await waitForRedis(this.port, () => (child.exitCode !== null ? `redis-server exited with ${child.exitCode}` : null));
  }

  /** SIGKILL: no goodbye to clients, as when a Redis host dies. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive()) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGSTOP: the connection stays open and nothing answers, as when a Redis host hangs. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async stop(): Promise<void> {
    this.thaw(); // a stopped process takes SIGKILL too, but its exit is only reported once it runs

    await this.kill();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
