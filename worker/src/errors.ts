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

export class GatewayError extends TaskFailure {
  constructor(
    readonly status: number,
    code: string,
    message: string,
  ) {
    // 429 and 5xx are worth another try; 4xx (bad model, no model configured) are not.
    super(code, message, status === 429 || status >= 500 || status === 0);
    this.name = 'GatewayError';
  }
}

export class TaskCancelled extends Error {
  constructor() {
    super('task was cancelled');
    this.name = 'TaskCancelled';
  }
}
