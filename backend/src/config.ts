import { backendEnvSchema, DEV_GATEWAY_TOKEN, parseEnv, type BackendEnv } from '@patchpad/shared';

export type BackendConfig = BackendEnv & { gatewayToken: string };

/** Reads and validates the backend's environment once; throws naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): BackendConfig {
  const parsed = parseEnv(backendEnvSchema, env, 'backend');
  return { ...parsed, gatewayToken: parsed.GATEWAY_SERVICE_TOKEN ?? DEV_GATEWAY_TOKEN };
}
