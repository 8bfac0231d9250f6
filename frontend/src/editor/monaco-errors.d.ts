// Monaco ships no types for its internal modules; the cancellation test needs this one class.
declare module 'monaco-editor/esm/vs/base/common/errors.js' {
  export class CancellationError extends Error {}
}
