import { describe, expect, it } from 'vitest';
import { backendEnvSchema, parseEnv, workerEnvSchema } from './config';

describe('process configuration', () => {
  it('gives every backend variable an embedded default for local use', () => {
    const env = parseEnv(backendEnvSchema, {}, 'backend');
    expect(env).toMatchObject({ PORT: 8080, STORAGE_DRIVER: 'fs', FIREBASE_PROJECT_ID: 'demo-patchpad', CORS_ORIGINS: ['http://localhost:5173'] });
  });

  it('refuses production with the Auth emulator and says why', () => {
    expect(() =>
      parseEnv(backendEnvSchema, { NODE_ENV: 'production', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099', GATEWAY_SERVICE_TOKEN: 'x'.repeat(40) }, 'backend'),
    ).toThrow(/FIREBASE_AUTH_EMULATOR_HOST: must not be set when NODE_ENV=production: emulator ID tokens are unsigned/);
  });

  it('refuses production without a gateway secret, and B2 without its keys, naming each variable', () => {
    let message = '';
    try {
      parseEnv(backendEnvSchema, { NODE_ENV: 'production', STORAGE_DRIVER: 'b2', B2_KEY_ID: 'k' }, 'backend');
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['GATEWAY_SERVICE_TOKEN', 'AUDIT_HMAC_KEY', 'B2_APPLICATION_KEY', 'B2_BUCKET_ID', 'B2_BUCKET_NAME'])
      expect(message).toContain(`${name}:`);
    expect(message).not.toContain('B2_KEY_ID:');
  });

  it('accepts Auth-emulator tokens only on a loopback API, or with the explicit opt-in', () => {
    const emulator = { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' };
    for (const HOST of ['127.0.0.1', 'localhost', '::1']) expect(() => parseEnv(backendEnvSchema, { ...emulator, HOST }, 'backend')).not.toThrow();
    expect(() => parseEnv(backendEnvSchema, { ...emulator, HOST: '0.0.0.0' }, 'backend')).toThrow(
      /FIREBASE_AUTH_EMULATOR_HOST: is set while the API listens on 0\.0\.0\.0, beyond this machine/,
    );
    expect(() => parseEnv(backendEnvSchema, { ...emulator, HOST: '0.0.0.0', ALLOW_AUTH_EMULATOR: 'true' }, 'backend')).not.toThrow();
    expect(() => parseEnv(backendEnvSchema, { HOST: '0.0.0.0' }, 'backend')).not.toThrow();
  });

  it('asks for the B2 keys in development too, not only in production', () => {
    expect(() => parseEnv(backendEnvSchema, { STORAGE_DRIVER: 'b2', B2_KEY_ID: 'k', B2_APPLICATION_KEY: 'a', B2_BUCKET_ID: 'b' }, 'backend')).toThrow(
      /B2_BUCKET_NAME: is required when STORAGE_DRIVER=b2/,
    );
  });

  it('names a malformed value and the process it belongs to', () => {
    expect(() => parseEnv(workerEnvSchema, { WORKER_CONCURRENCY: 'lots' }, 'worker')).toThrow(/^worker: invalid configuration\n {2}WORKER_CONCURRENCY:/);
  });

  it('splits comma lists and ignores blanks', () => {
    expect(parseEnv(backendEnvSchema, { OPENAI_COMPATIBLE_MODELS: ' llama3.1, ,qwen2.5-coder ' }, 'backend').OPENAI_COMPATIBLE_MODELS).toEqual([
      'llama3.1',
      'qwen2.5-coder',
    ]);
  });
});
