import { useCallback, useState } from 'react';

/**
 * Where we are in a list paged by opaque cursors: the cursors that led to each page we saw, so
 * "Previous" goes back without the API supporting backwards paging.
 */
export function useCursor() {
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const page = trail.length - 1;
  return {
    cursor: trail[page],
    page,
    next: useCallback((cursor: string) => setTrail((t) => [...t, cursor]), []),
    prev: useCallback(() => setTrail((t) => (t.length > 1 ? t.slice(0, -1) : t)), []),
    reset: useCallback(() => setTrail([undefined]), []),
  };
}

export type Cursor = ReturnType<typeof useCursor>;
