import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisAnswers } from '../scripts/lib/net';

export const hasRedisCluster = () => spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0;

export type RedisCluster = { nodes: string[]; url: string; stop: () => Promise<void> };

/**
 * A real Redis Cluster on loopback: `size` masters, no replicas, slots spread by
 * `redis-cli --cluster create`. Comes up in about a second.
 */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'patchpad-cluster-'));
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()));
  const children: ChildProcess[] = [];
  for (const port of ports) {
    await mkdir(join(dir, String(port)));
    children.push(
      spawn(
        'redis-server',
        [
          '--bind',
          '127.0.0.1',
          '--port',
          String(port),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--dir',
          join(dir, String(port)),
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { stdio: 'ignore' },
      ),
    );
  }
  for (const port of ports) for (let i = 0; i < 100 && !(await redisAnswers('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 50));
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stderr || created.stdout}`);
  // The nodes agree on the slot map a moment after create returns.
  for (let i = 0; i < 100; i++) {
    const states = ports.map((p) => spawnSync('redis-cli', ['-p', String(p), 'cluster', 'info'], { encoding: 'utf8' }).stdout);
    if (states.every((s) => s.includes('cluster_state:ok'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    nodes,
    url: `redis://${nodes[0]}`,
    async stop() {
      for (const child of children) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
