import { DEV_GATEWAY_TOKEN, GATEWAY_TASK_HEADER, type AdminModel, type ChatCompletionResponse, type ModelTestResult } from '@patchpad/shared';
import { authed, type ApiError, type TestApi } from './support';

/** A registry entry for tests, pointing at a loopback upstream. */
export function modelBody(id: string, baseUrl: string, extra: Record<string, unknown> = {}) {
  return { id, name: `Model ${id}`, provider: 'openai_compatible', baseUrl, upstreamModel: id, contextWindow: 8192, maxOutputTokens: 1024, ...extra };
}

/** Calls /api/admin/models with an (admin) ID token. */
export function adminModels(api: TestApi, token: string) {
  // The body is the route's answer or, as the status says, the error envelope; tests check the status first.
  const call = async <T>(method: string, path = '', body?: unknown) => {
    const res = await fetch(`${api.url}/api/admin/models${path}`, {
      method,
      headers: authed(token),
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T & ApiError };
  };
  type One = { model: AdminModel };
  return {
    list: () => call<{ models: AdminModel[] }>('GET'),
    create: (body: unknown) => call<One>('POST', '', body),
    patch: (id: string, body: unknown) => call<One>('PATCH', `/${id}`, body),
    put: (id: string, body: unknown) => call<One>('PUT', `/${id}`, body),
    remove: (id: string) => call<null>('DELETE', `/${id}`),
    action: <A extends 'activate' | 'deactivate' | 'test'>(id: string, action: A) => call<A extends 'test' ? ModelTestResult : One>('POST', `/${id}/${action}`),
    get: (id: string) => call<One>('GET', `/${id}`),
  };
}

/** One call through the gateway with the service credential; the answer read whole. */
export async function gatewayChat(api: TestApi, body: Record<string, unknown>, extra: { taskId?: string } = {}) {
  const res = await fetch(`${api.url}/gateway/v1/chat/completions`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${DEV_GATEWAY_TOKEN}`,
      'Content-Type': 'application/json',
      ...(extra.taskId ? { [GATEWAY_TASK_HEADER]: extra.taskId } : {}),
    },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as ChatCompletionResponse & ApiError };
}
