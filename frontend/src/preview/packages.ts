import { useSandpack } from '@codesandbox/sandpack-react';
import { useEffect, useRef } from 'react';
import type { PreviewPackages } from './access';

/**
 * Gives the preview runtime what it needs to load packages its cache lacks: the package
 * service's URL and a short-lived capability for this project, minted by the API for the
 * signed-in user. The runtime asks (`pp:packages-access-request`) when it first needs a
 * package and again when the capability expired; the answer goes down the Sandpack channel.
 */

export function usePackageAccess(packages: PreviewPackages | null | undefined): void {
  const { dispatch, listen } = useSandpack();
  const latest = useRef({ packages, dispatch });
  latest.current = { packages, dispatch };
  useEffect(
    () =>
      listen((message) => {
        if ((message as { type: string }).type !== 'pp:packages-access-request') return;
        const { packages: service, dispatch } = latest.current;
        const answer = (url: string | null, token: string | null) =>
          dispatch({ type: 'pp:packages-access', url, token } as unknown as Parameters<typeof dispatch>[0]);
        if (!service) return answer(null, null);
        service.capability().then(
          (token) => answer(service.url, token),
          () => answer(service.url, null), // the service then explains (no capability) at the import site
        );
      }),
    [listen],
  );
}
