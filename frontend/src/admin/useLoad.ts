import { useCallback, useEffect, useRef, useState } from 'react';

export type Loaded<T> = {
  data: T | null;
  /** The server's message when the last load failed (the data of the load before stays). */
  error: string | null;
  loading: boolean;
  /** When the data on screen arrived (ms since the epoch). */
  loadedAt: number | null;
  reload: () => Promise<void>;
  /** Changes the data in place (an action's answer) without a round trip. */
  update: (fn: (data: T) => T) => void;
};

/**
 * Loads `fn` now and whenever `key` changes; `refreshMs` reloads it on a timer (health, live
 * tasks). An answer that arrives after a newer request started is dropped, so a slow page
 * never overwrites a fresh one.
 */
export function useLoad<T>(fn: () => Promise<T>, key: string, refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadedAt, setLoadedAt] = useState<number | null>(null);
  const latest = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const value = await fnRef.current();
      if (ticket !== latest.current) return;
      setData(value);
      setLoadedAt(Date.now());
      setError(null);
    } catch (err) {
      if (ticket === latest.current) setError((err as Error).message);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    // The previous key's data stays on screen until the new answer replaces it: no flash of
    // "Loading…", and whatever the admin has open beside it is not torn down.
    void reload();
    if (!refreshMs) return;
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [key, refreshMs, reload]);

  const update = useCallback((fn: (data: T) => T) => setData((d) => (d === null ? d : fn(d))), []);
  return { data, error, loading, loadedAt, reload, update };
}
