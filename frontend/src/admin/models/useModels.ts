import { useState } from 'react';
import type { AdminModel, CreateModelBody, ModelTestResult, PatchModelBody } from '@patchpad/shared';
import { useAdminApi } from '../context';
import { useLoad } from '../useLoad';

export type TestState = { running: true } | { running: false; result?: ModelTestResult; error?: string };

/** The registry: list, create, edit, switch on/off, delete, and one-click tests with their latency. */
export function useModels() {
  const api = useAdminApi();
  const list = useLoad(() => api.models(), 'models');
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [actionError, setActionError] = useState<string | null>(null);

  const put = (model: AdminModel) =>
    list.update((models) => (models.some((m) => m.id === model.id) ? models.map((m) => (m.id === model.id ? model : m)) : [...models, model]));
  const guarded = async (fn: () => Promise<void>) => {
    setActionError(null);
    try {
      await fn();
    } catch (err) {
      setActionError((err as Error).message);
    }
  };

  return {
    list,
    tests,
    actionError,
    /** Throws the server's error: the form shows it under its fields. */
    create: async (body: CreateModelBody) => put(await api.createModel(body)),
    patch: async (id: string, body: PatchModelBody) => put(await api.patchModel(id, body)),
    setActive: (id: string, active: boolean) => guarded(async () => put(await api.setModelActive(id, active))),
    remove: (id: string) =>
      guarded(async () => {
        await api.deleteModel(id);
        list.update((models) => models.filter((m) => m.id !== id));
      }),
    test: async (id: string) => {
      setTests((t) => ({ ...t, [id]: { running: true } }));
      try {
        const result = await api.testModel(id);
        setTests((t) => ({ ...t, [id]: { running: false, result } }));
      } catch (err) {
        setTests((t) => ({ ...t, [id]: { running: false, error: (err as Error).message } }));
      }
    },
  };
}
export type ModelsModel = ReturnType<typeof useModels>;
