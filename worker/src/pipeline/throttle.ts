/**
 * Batches streamed model text so the event stream gets a few events a second, not one per
 * token: flushes when `intervalMs` passed or `maxChars` piled up, and on `flush()`.
 */
export class TextThrottle {
  private pending = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly emit: (text: string) => void,
    private readonly intervalMs = 100,
    private readonly maxChars = 2048,
  ) {}

  push(text: string): void {
    this.pending += text;
    if (this.pending.length >= this.maxChars) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.emit(text);
  }
}
