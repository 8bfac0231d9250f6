import { describe, expect, it } from 'vitest';
import { parseNpmrc, PUBLIC_REGISTRY, registryFor, registrySettings, tokenFor } from './npmrc';

describe('.npmrc settings', () => {
  const file = parseNpmrc(
    `# company mirror
registry=https://npm.example.com/repo
@acme:registry = "https://acme.example.com/npm/"
//npm.example.com/repo/:_authToken=\${NPM_TOKEN}
//acme.example.com/npm/:_authToken=acme-secret
always-auth=true
`,
    { NPM_TOKEN: 'from-env' },
  );

  it('reads the registry, scoped registries and tokens (with ${VAR} from the environment)', () => {
    expect(file).toEqual({
      registry: 'https://npm.example.com/repo/',
      scopes: { '@acme': 'https://acme.example.com/npm/' },
      tokens: { '//npm.example.com/repo/': 'from-env', '//acme.example.com/npm/': 'acme-secret' },
    });
  });

  it('takes PACKAGES_REGISTRY, then npm_config_registry, then the files, then npmjs', () => {
    expect(registrySettings('https://explicit.test', { npm_config_registry: 'https://env.test/' }, [file]).registry).toBe('https://explicit.test/');
    expect(registrySettings(undefined, { npm_config_registry: 'https://env.test' }, [file]).registry).toBe('https://env.test/');
    expect(registrySettings(undefined, {}, [file]).registry).toBe('https://npm.example.com/repo/');
    expect(registrySettings(undefined, {}, []).registry).toBe(PUBLIC_REGISTRY);
  });

  it('routes scoped packages and sends each host only its own token', () => {
    const settings = registrySettings(undefined, {}, [file]);
    expect(registryFor(settings, '@acme/ui')).toBe('https://acme.example.com/npm/');
    expect(registryFor(settings, 'lodash')).toBe('https://npm.example.com/repo/');
    expect(tokenFor(settings, 'https://acme.example.com/npm/@acme%2fui')).toBe('acme-secret');
    expect(tokenFor(settings, 'https://npm.example.com/repo/lodash/-/lodash-4.0.0.tgz')).toBe('from-env');
    expect(tokenFor(settings, 'https://elsewhere.example.com/lodash')).toBeNull();
  });
});
