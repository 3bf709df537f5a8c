import { useCallback, useState } from 'react';

/** Page-by-page walking of a cursor list: the cursors of the pages behind are kept to go back. */
export interface CursorPager {
  cursor: string | null;
  pageNumber: number;
  hasPrevious: boolean;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursorPager(): CursorPager {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const next = useCallback((nextCursor: string) => setStack((s) => [...s, nextCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return {
    cursor: stack[stack.length - 1],
    pageNumber: stack.length,
    hasPrevious: stack.length > 1,
    next,
    previous,
    reset,
  };
}
