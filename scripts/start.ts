import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_MODEL_HELP } from '@patchpad/shared';
import { startStack, type Stack } from './lib/stack';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

let stack: Stack | null = null;
let starting: Promise<Stack> | null = null;
const startup = new AbortController();
let stopping = false;
async function shutdown(code: number, why?: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  if (why) console.error(`\n[patchpad] ${why}; stopping everything`);
  else console.log('\n[patchpad] stopping…');
  // Still starting: startStack stops what it started once it sees the abort, and rejects.
  // (If it finished meanwhile, it resolves and the stack is stopped like a running one.)
  startup.abort();
  const running = stack ?? (await starting?.catch(() => null));
  await running?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function main(): Promise<void> {
  try {
    starting = startStack({
      root,
      signal: startup.signal,
      ports: { web: port('WEB_PORT', 5173), api: port('PORT', 8080), preview: port('PREVIEW_PORT', 5174), gateway: port('GATEWAY_PORT', 8081) },
      onFatal: (message) => void shutdown(1, message),
    });
    stack = await starting;
    // Ask the backend rather than re-deriving its model rules from the environment here.
    const health = (await fetch(`${stack.apiUrl}/health/detailed`).then((r) => r.json())) as { models?: { configured?: number } };
    const noModel = health.models?.configured === 0;
    console.log(`
  Patchpad is running.

    Open   ${stack.webUrl}
    API    ${stack.apiUrl}   (health: ${stack.apiUrl}/health/detailed)
    Models ${stack.gatewayUrl}/gateway/v1   (the model gateway; health: ${stack.gatewayUrl}/health/detailed)
    Redis  ${stack.redisUrl}
    Auth   ${stack.emulatorHost ? `Firebase Auth emulator at ${stack.emulatorHost} (local accounts only)` : 'Firebase (real project)'}
${noModel ? `\n    ${NO_MODEL_HELP}\n` : ''}
  Press Ctrl-C to stop.
`);
  } catch (err) {
    if (stopping) return; // Ctrl-C or a fatal exit during start-up: shutdown() reports and exits
    console.error(`[patchpad] could not start: ${(err as Error).message}`);
    process.exit(1);
  }
}

await main();
