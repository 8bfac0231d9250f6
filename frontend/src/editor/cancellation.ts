/**
 * Monaco cancels its debounced work when an editor goes away, by rejecting the pending promise
 * with its CancellationError (name and message both "Canceled"). Some of its own callers never
 * catch that promise: the word highlighter's 50 ms delayer is one, so leaving the editor within
 * 50 ms of moving the cursor or focusing it raises an unhandled rejection that is no failure at
 * all. VS Code's own unexpected-error handler drops cancellations; we do the same, and only for
 * exactly that error, so every other rejection still reaches the console and error reporting.
 */
export function isMonacoCancellation(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'Canceled' && reason.message === 'Canceled';
}

/** Once per page: monaco-setup, which every editor imports, calls it as Monaco loads. */
export function ignoreMonacoCancellations(): void {
  window.addEventListener('unhandledrejection', (event) => {
    if (isMonacoCancellation(event.reason)) event.preventDefault();
  });
}
