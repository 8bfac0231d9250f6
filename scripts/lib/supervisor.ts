import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type ProcessSpec = {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Restart after an unexpected exit (with backoff) instead of stopping everything. */
  restart?: boolean;
};

const COLORS = [36, 35, 33, 32, 34, 31];
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const QUIET_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'name', 'service', 'v']);

/** Turns a pino JSON line into `INFO message key=value …`; other lines pass through. */
export function prettyLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const level = LEVELS[Number(entry.level)] ?? String(entry.level ?? '');
    const extras = Object.entries(entry)
      .filter(([k]) => !QUIET_KEYS.has(k))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${level.padEnd(5)} ${String(entry.msg ?? '')}${extras ? `  ${extras}` : ''}`;
  } catch {
    return line;
  }
}

/**
 * Runs named child processes, each in its own process group, with prefixed, readable logs.
 * `stop()` (and Ctrl-C in the caller) terminates every group — grandchildren included — and
 * escalates to SIGKILL, so nothing is left holding a port.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;
  private readonly width: number;

  constructor(
    private readonly specs: ProcessSpec[],
    private readonly onFatal: (message: string) => void,
    private readonly options: { pretty?: boolean; output?: (line: string) => void } = {},
  ) {
    this.width = Math.max(...specs.map((s) => s.name.length));
  }

  startAll(): void {
    this.specs.forEach((spec, i) => this.start(spec, COLORS[i % COLORS.length]!, 0));
  }

  /** A one-line reason if `name` has exited, for readiness checks. */
  exited(name: string): string | null {
    const child = this.children.get(name);
    return child && child.exitCode !== null ? `exit code ${child.exitCode}` : null;
  }

  private start(spec: ProcessSpec, color: number, restarts: number): void {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, FORCE_COLOR: '0', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.children.set(spec.name, child);
    const prefix = `\u001b[${color}m${spec.name.padEnd(this.width)} |\u001b[0m `;
    const out = this.options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => out(prefix + (this.options.pretty === false ? line : prettyLine(line))));
    }
    child.on('exit', (code, signal) => {
      if (this.stopping) return;
      const why = signal ? `signal ${signal}` : `exit code ${code}`;
      if (spec.restart && restarts < 3) {
        out(`${prefix}exited (${why}); restarting in ${restarts + 1} s`);
        setTimeout(() => !this.stopping && this.start(spec, color, restarts + 1), (restarts + 1) * 1000);
        return;
      }
      this.onFatal(`${spec.name} exited (${why})`);
    });
  }

  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const running = [...this.children.values()].filter((c) => c.exitCode === null && c.signalCode === null && c.pid);
    await Promise.all(
      running.map(
        (child) =>
          new Promise<void>((resolve) => {
            const kill = (signal: NodeJS.Signals) => {
              try {
                process.kill(-child.pid!, signal);
              } catch {
                // group already gone
              }
            };
            const timer = setTimeout(() => kill('SIGKILL'), graceMs);
            child.once('exit', () => {
              clearTimeout(timer);
              kill('SIGKILL'); // stragglers in the group (e.g. the emulator's java-less node children)
              resolve();
            });
            kill('SIGTERM');
          }),
      ),
    );
  }
}
