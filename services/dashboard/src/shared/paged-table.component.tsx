import { ReactNode } from 'react';
import { EmptyRow } from './empty-row.component';
import { PagedList } from './paged-list.hook';
import { Pager } from './pager.component';
import { ProblemAlert } from './problem-alert.component';

/** A column heading, with a class where the column needs its own width. */
export type Column = string | { label: string; className: string };

interface PagedTableProps<T> {
  paged: PagedList<T>;
  columns: Column[];
  /** The `<tr>` of one item, with its key. */
  row: (item: T) => ReactNode;
  /** Shown when the page is empty, once it has loaded without a problem. */
  empty: ReactNode;
  pagerLabel: string;
  className?: string;
}

/** A page of a cursor list as a table: the problem if reading failed, the rows, and the pager. */
export function PagedTable<T>({ paged: { list, pager }, columns, row, empty, pagerLabel, className }: PagedTableProps<T>) {
  const items = list.data?.value ?? [];
  return (
    <>
      <ProblemAlert problem={list.problem} />
      <div className="table-scroll">
        <table className={className ? `table ${className}` : 'table'}>
          <thead>
            <tr>
              {columns.map((column) => {
                const { label, className: columnClass } = typeof column === 'string' ? { label: column, className: undefined } : column;
                return (
                  <th key={label} scope="col" className={columnClass}>
                    {label}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => row(item))}
            {items.length === 0 && !list.loading && !list.problem ? <EmptyRow columns={columns.length}>{empty}</EmptyRow> : null}
          </tbody>
        </table>
      </div>
      <Pager pager={pager} nextCursor={list.data?.nextCursor} label={pagerLabel} />
    </>
  );
}
