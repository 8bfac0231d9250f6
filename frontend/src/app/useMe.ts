import { useEffect, useState } from 'react';
import type { MeResponse } from '@patchpad/shared';
import type { Api } from '../api/client';

export type MeState = { status: 'loading' } | { status: 'ok'; me: MeResponse } | { status: 'error'; message: string };

/** Who the server says the signed-in user is (their role decides whether admin navigation shows). */
export function useMe(api: Api): MeState {
  const [state, setState] = useState<MeState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    api
      .get<MeResponse>('/api/me')
      .then((me) => live && setState({ status: 'ok', me }))
      .catch((err: Error) => live && setState({ status: 'error', message: err.message }));
    return () => {
      live = false;
    };
  }, [api]);
  return state;
}
