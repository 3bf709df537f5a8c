import { ReactNode } from 'react';
import { PageHeader, PageHeaderProps } from './page-header.component';

interface ListPageProps extends PageHeaderProps {
  /** The name of the list's region, as a screen reader announces it. */
  label: string;
  /** Controls that narrow the list, above it. */
  filters?: ReactNode;
  children: ReactNode;
}

/** A screen that lists one kind of item: its header, then one card with the filters and the list. */
export function ListPage({ label, filters, children, ...header }: ListPageProps) {
  return (
    <>
      <PageHeader {...header} />
      <section className="card" aria-label={label}>
        {filters ? (
          <div className="card__header">
            <div className="filters">{filters}</div>
          </div>
        ) : null}
        {children}
      </section>
    </>
  );
}
