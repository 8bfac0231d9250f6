import { useSandpack } from '@codesandbox/sandpack-react';
import { useEffect, useRef, useState, type CSSProperties } from 'react';

/**
 * No dead ends: when the runtime is slow to answer (a busy machine, a large first compile,
 * packages being fetched), the preview keeps waiting, says what it is doing and for how
 * long, and offers a reload — instead of Sandpack's "Couldn't connect to server" page,
 * which PreviewPane disables (its bundler timeout is effectively never).
 */

const STATUS_TEXT: Record<string, string> = {
  initializing: 'Starting the preview runtime…',
  transpiling: 'Compiling your code…',
  evaluating: 'Running your app…',
  'installing-dependencies': 'Fetching packages…',
};

export interface PreviewProgress {
  /** Seconds the current load or compile has been waiting; null when idle. */
  seconds: number | null;
  text: string;
}

export function usePreviewProgress(): PreviewProgress {
  const { listen } = useSandpack();
  const since = useRef<number | null>(performance.now());
  const [text, setText] = useState('Loading the preview runtime…');
  const [seconds, setSeconds] = useState<number | null>(0);

  useEffect(
    () =>
      listen((raw) => {
        const message = raw as { type: string; status?: string; text?: string };
        if (message.type === 'start') since.current ??= performance.now();
        else if (message.type === 'done') {
          since.current = null;
          setSeconds(null);
        } else if (message.type === 'status' && message.status) setText(STATUS_TEXT[message.status] ?? `${message.status}…`);
        else if (message.type === 'pp:progress' && message.text) setText(message.text);
      }),
    [listen],
  );
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; codesandbox?: unknown } | null;
      if (data?.type === 'initialized' && data.codesandbox === true) setText(STATUS_TEXT.initializing as string);
    };
    window.addEventListener('message', onMessage);
    const timer = setInterval(() => setSeconds(since.current === null ? null : Math.floor((performance.now() - since.current) / 1000)), 1000);
    return () => {
      window.removeEventListener('message', onMessage);
      clearInterval(timer);
    };
  }, []);
  return { seconds, text };
}

const notice: CSSProperties = {
  position: 'absolute',
  inset: 'auto 12px 12px 12px',
  zIndex: 10,
  padding: '10px 12px',
  borderRadius: 8,
  background: '#fff8e1',
  border: '1px solid #e0c36c',
  color: '#3d2f00',
  font: '13px/1.4 system-ui, sans-serif',
  display: 'flex',
  gap: 12,
  alignItems: 'center',
};

/** Shown over the preview once a load or compile has waited `afterSeconds`. */
export function SlowPreviewNotice({ afterSeconds, onRetry }: { afterSeconds: number; onRetry: () => void }) {
  const { seconds, text } = usePreviewProgress();
  if (seconds === null || seconds < afterSeconds) return null;
  const busy = seconds >= 30 ? ' This is much longer than usual: the machine may be very busy. It keeps waiting.' : ' Still waiting.';
  return (
    <div role="status" aria-live="polite" data-testid="preview-slow" style={notice}>
      <span style={{ flex: 1 }}>
        <strong>The preview is taking longer than usual ({seconds} s).</strong> {text}
        {busy}
      </span>
      <button type="button" onClick={onRetry}>
        Reload the preview
      </button>
    </div>
  );
}
