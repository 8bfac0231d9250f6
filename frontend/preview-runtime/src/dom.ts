/**
 * The preview document: the template page (`/public/index.html`), injected styles,
 * external resources, React roots made by user code, and the size/URL reports.
 */

const MARK = 'data-pp';

export class PreviewDocument {
  private templateHtml: string | null = null;
  private bodyHtml = '<div id="root"></div>';
  private readonly styles = new Map<string, HTMLStyleElement>();
  private readonly resources = new Set<string>();

  constructor(private readonly doc: Document) {}

  /** Applies `/public/index.html` (title, head tags); returns whether it changed. */
  setTemplate(html: string | undefined): boolean {
    const next = html ?? null;
    if (next === this.templateHtml) return false;
    this.templateHtml = next;
    for (const el of Array.from(this.doc.head.querySelectorAll(`[${MARK}="template"]`))) el.remove();
    if (next === null) {
      this.bodyHtml = '<div id="root"></div>';
      return true;
    }
    const parsed = new DOMParser().parseFromString(next, 'text/html');
    this.bodyHtml = parsed.body.innerHTML;
    if (parsed.title) this.doc.title = parsed.title;
    for (const el of Array.from(parsed.head.querySelectorAll('style, link[rel="stylesheet"], meta[name]'))) {
      const copy = this.doc.importNode(el, true) as HTMLElement;
      copy.setAttribute(MARK, 'template');
      this.doc.head.appendChild(copy);
    }
    return true;
  }

  /** Puts the template's body back (before the entry runs again). */
  resetBody(): void {
    this.doc.body.innerHTML = this.bodyHtml;
  }

  applyStyle(path: string, css: string | null): void {
    const existing = this.styles.get(path);
    if (css === null) {
      existing?.remove();
      this.styles.delete(path);
      return;
    }
    if (existing) {
      if (existing.textContent !== css) existing.textContent = css;
      return;
    }
    const style = this.doc.createElement('style');
    style.setAttribute(MARK, path);
    style.textContent = css;
    this.doc.head.appendChild(style);
    this.styles.set(path, style);
  }

  /** Adds each external stylesheet or script once (they load only when online). */
  addExternalResources(urls: readonly string[]): void {
    for (const url of urls) {
      if (this.resources.has(url)) continue;
      this.resources.add(url);
      const isCss = /\.css(\?|#|$)/.test(url);
      const el = isCss ? this.doc.createElement('link') : this.doc.createElement('script');
      if (el instanceof HTMLLinkElement) {
        el.rel = 'stylesheet';
        el.href = url;
      } else {
        (el as HTMLScriptElement).src = url;
      }
      el.setAttribute(MARK, 'external');
      this.doc.head.appendChild(el);
    }
  }
}

interface Root {
  unmount(): void;
}

/** Wraps `react-dom/client` so the runtime can unmount what user code mounted. */
export class RootTracker {
  private readonly roots = new Set<Root>();
  private readonly wrapped = new WeakMap<object, unknown>();

  wrap(reactDomClient: unknown): unknown {
    if (typeof reactDomClient !== 'object' || reactDomClient === null) return reactDomClient;
    const cached = this.wrapped.get(reactDomClient);
    if (cached) return cached;
    const original = reactDomClient as Record<string, unknown>;
    const track =
      <A extends unknown[]>(fn: unknown) =>
      (...args: A): Root => {
        const root = (fn as (...a: A) => Root)(...args);
        this.roots.add(root);
        return root;
      };
    const wrapper: Record<string, unknown> = { ...original, createRoot: track(original.createRoot), hydrateRoot: track(original.hydrateRoot) };
    wrapper.default = wrapper;
    this.wrapped.set(reactDomClient, wrapper);
    return wrapper;
  }

  unmountAll(): void {
    for (const root of this.roots) {
      try {
        root.unmount();
      } catch {
        // An already-unmounted root: nothing left to clean.
      }
    }
    this.roots.clear();
  }
}

/** Reports the document's height (for auto-height previews) and URL changes. */
export function watchFrame(win: Window, onResize: (height: number) => void, onUrl: (url: string) => void): void {
  let last = -1;
  let scheduled = false;
  const measure = () => {
    scheduled = false;
    const height = win.document.documentElement.scrollHeight;
    if (height !== last) {
      last = height;
      onResize(height);
    }
  };
  new ResizeObserver(() => {
    if (!scheduled) {
      scheduled = true;
      win.requestAnimationFrame(measure);
    }
  }).observe(win.document.documentElement);

  const report = () => onUrl(win.location.href);
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = win.history[method].bind(win.history);
    win.history[method] = (...args: Parameters<History['pushState']>) => {
      original(...args);
      report();
    };
  }
  win.addEventListener('popstate', report);
}
