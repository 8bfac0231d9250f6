import { useSandpack } from '@codesandbox/sandpack-react';
import { useEffect, useRef } from 'react';

/**
 * sandpack-client picks its channel id with Math.random (one of a million), which code in
 * the preview could guess to post fake console lines or errors into the IDE. Patchpad
 * replaces it with 128 bits from crypto.getRandomValues the moment the runtime announces
 * itself (`initialized`), before sandpack's own listener registers the frame with it: a
 * capture listener on window runs before sandpack's, for the same event.
 */

export function secureChannelId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface ProtocolLike {
  channelId: unknown;
}
interface ClientLike {
  iframe?: HTMLIFrameElement;
  iframeProtocol?: ProtocolLike;
}

export function useSecureChannelIds(): void {
  const { sandpack } = useSandpack();
  const clients = useRef(sandpack.clients);
  clients.current = sandpack.clients;
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown; codesandbox?: unknown } | null;
      if (data?.type !== 'initialized' || data.codesandbox !== true) return;
      for (const client of Object.values(clients.current) as ClientLike[]) {
        if (client.iframe?.contentWindow === event.source && client.iframeProtocol) client.iframeProtocol.channelId = secureChannelId();
      }
    };
    window.addEventListener('message', onMessage, true);
    return () => window.removeEventListener('message', onMessage, true);
  }, []);
}
