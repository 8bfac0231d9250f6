import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { relayChat } from './relay-call';

/**
 * The bare relay of the gateway benchmark (./relay-call.ts), in its own process like the
 * gateway: no credential, routing, parsing, accounting or log.
 */
const server = createServer(relayChat(process.env.RELAY_UPSTREAM ?? ''));
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
