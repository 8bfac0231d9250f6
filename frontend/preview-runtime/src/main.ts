import { ParentChannel } from './channel';
import { Compiler } from './compiler';
import { readConfig } from './config';
import { hookConsole } from './console';
import { PreviewDocument, RootTracker, watchFrame } from './dom';
import { ModuleGraph } from './modules';
import { PackageStore } from './packages';
import { RemotePackages } from './remote-packages';
import type { ParentMessage } from './protocol';
import { REFRESH_SPECIFIER, RefreshHost } from './refresh';

/**
 * Patchpad's preview runtime: speaks sandpack-client's bundler protocol so the
 * unmodified SandpackProvider/SandpackPreview/SandpackConsole run against it, offline.
 * Everything here is set up before any user code runs.
 */

const nativeFetch = window.fetch.bind(window);
const fetchText = async (url: string): Promise<string> => {
  const response = await nativeFetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
  return response.text();
};

const config = readConfig(document);
const channel = new ParentChannel(window, { allowedParentOrigins: config.allowedParentOrigins });
const remote = new RemotePackages(
  (url, init) => nativeFetch(url, { ...init, credentials: 'omit' }),
  () => channel.send({ type: 'pp:packages-access-request' }),
  (text) => channel.send({ type: 'pp:progress', text }),
);
const doc = new PreviewDocument(document);
const packages = new PackageStore(fetchText, remote, (id, css) => doc.applyStyle(id, css));
packages.warmUp([REFRESH_SPECIFIER, 'react', 'react/jsx-dev-runtime', 'react-dom/client']);
const roots = new RootTracker();
const refresh = new RefreshHost();
const graph = new ModuleGraph({
  refresh,
  requirePackage: (specifier) => {
    const exports = packages.require(specifier);
    return specifier === 'react-dom/client' ? roots.wrap(exports) : exports;
  },
  applyStyle: (path, css) => doc.applyStyle(path, css),
});
const compiler = new Compiler({ graph, packages, doc, roots, refresh, globalObject: window, send: (m) => channel.send(m) });
const consoleHook = hookConsole(console, (log) => channel.send({ type: 'console', log }));

window.addEventListener('error', (event) => {
  // Errors of cross-origin scripts carry nothing useful ("Script error.").
  if (event.error === null && event.message === 'Script error.') return;
  const error: unknown = event.error ?? new Error(event.message);
  consoleHook.emit('error', [error]);
  compiler.reportRuntimeError(error);
});
window.addEventListener('unhandledrejection', (event) => {
  consoleHook.emit('error', ['Unhandled promise rejection:', event.reason]);
  compiler.reportRuntimeError(event.reason);
});

watchFrame(
  window,
  (height) => channel.send({ type: 'resize', height }),
  (url) => channel.send({ type: 'urlchange', url, back: history.length > 1, forward: false }),
);

function onMessage(message: ParentMessage): void {
  switch (message.type) {
    case 'compile': {
      const files: Record<string, string> = {};
      for (const [path, module] of Object.entries(message.modules)) files[path] = module.code;
      compiler.compile({
        files,
        template: message.template,
        externalResources: message.externalResources,
        full: modeOf(message.bundlerURL) === 'full',
      });
      return;
    }
    case 'pp:files':
      compiler.patch(message.files, message.deleted);
      return;
    case 'pp:packages-access':
      remote.setAccess({ url: message.url, token: message.token });
      return;
    case 'refresh':
      location.reload();
      return;
    case 'urlback':
      history.back();
      return;
    case 'urlforward':
      history.forward();
      return;
    case 'get-modules':
      channel.send({ type: 'all-modules', data: [] });
      return;
    case 'get-transpiler-context':
      channel.send({ type: 'transpiler-context', data: {} });
      return;
    case 'register-frame':
      return;
  }
}

/** `?mode=full` on the bundler URL selects the naive full re-evaluation (benchmark baseline). */
function modeOf(bundlerURL: string | null): string | null {
  if (!bundlerURL) return null;
  try {
    return new URL(bundlerURL).searchParams.get('mode');
  } catch {
    return null;
  }
}

channel.listen(onMessage);
channel.send({ type: 'initialized' });
