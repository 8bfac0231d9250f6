import { useEffect, useState } from 'react';
import type { ClientConfig, UserModelsResponse } from '@patchpad/shared';
import type { Api } from '../api/client';

export type ModelChoice = { id: string; provider: string; name?: string };

/**
 * The models this user may pick: the ones their plan allows (GET /api/models). Until that
 * answers, or if it cannot, the free plan's list from the public config, which every user has.
 */
export function useModels(api: Api, config: ClientConfig): { models: ModelChoice[]; defaultModel: string | null } {
  const [state, setState] = useState<{ models: ModelChoice[]; defaultModel: string | null }>({ models: config.models, defaultModel: config.defaultModel });
  useEffect(() => {
    let cancelled = false;
    api
      .get<UserModelsResponse>('/api/models')
      .then((r) => !cancelled && setState({ models: r.models, defaultModel: r.defaultModel }))
      .catch((err: unknown) => console.warn('model list unavailable; showing the free plan’s', err));
    return () => {
      cancelled = true;
    };
  }, [api]);
  return state;
}
