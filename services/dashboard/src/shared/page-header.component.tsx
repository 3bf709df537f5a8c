import { ReactNode, useEffect } from 'react';

export interface PageHeaderProps {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  breadcrumb?: ReactNode;
}

/** The title of a screen, also written into the browser tab. */
export function PageHeader({ title, subtitle, actions, breadcrumb }: PageHeaderProps) {
  useEffect(() => {
    document.title = `${title} · Fleetjobs`;
  }, [title]);
  return (
    <header className="page-header">
      <div>
        {breadcrumb ? <p className="page-header__crumb">{breadcrumb}</p> : null}
        <h1>{title}</h1>
        {subtitle ? <p className="page-header__subtitle">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </header>
  );
}
