/**
 * Named outcomes of a task attempt. `retryable` ones let BullMQ try again (network, 5xx,
 * timeouts); the rest fail the task at once with a message the user can act on.
 */
export class TaskFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TaskFailure';
  }
}

/**
 * Gateway error codes no retry can fix: an admin has to change the configuration (a model,
 * its key variable, the user's plan) or the request itself was refused upstream.
 */
const PERMANENT_CODES = new Set([
  'no_model_configured',
  'model_not_found',
  'model_inactive',
  'model_not_allowed',
  'invalid_api_key',
  'provider_key_missing',
  'upstream_rejected',
]);

export class GatewayError extends TaskFailure {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    // 429, 5xx and network failures are worth another try; 4xx and configuration problems are not.
    super(code, message, !PERMANENT_CODES.has(code) && (status === 429 || status >= 500 || status === 0));
    this.name = 'GatewayError';
  }
}

export class TaskCancelled extends Error {
  constructor() {
    super('task was cancelled');
    this.name = 'TaskCancelled';
  }
}
