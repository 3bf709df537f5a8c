import { CursorPager } from './cursor-pager.hook';

interface PagerProps {
  pager: CursorPager;
  nextCursor: string | null | undefined;
  label: string;
}

/** Previous and Next buttons under a paged table. */
export function Pager({ pager, nextCursor, label }: PagerProps) {
  if (!pager.hasPrevious && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button button--small" disabled={!pager.hasPrevious} onClick={pager.previous}>
        ‹ Previous
      </button>
      <span className="pager__page">Page {pager.pageNumber}</span>
      <button
        type="button"
        className="button button--small"
        disabled={!nextCursor}
        onClick={() => nextCursor && pager.next(nextCursor)}
      >
        Next ›
      </button>
    </nav>
  );
}
