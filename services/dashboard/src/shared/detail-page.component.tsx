import { ReactNode } from 'react';
import { Role } from '../auth/roles';
import { useAllowed } from '../auth/session.store';
import { Route } from '../routing/routes';
import { ConfirmDialog } from './confirm-dialog.component';
import { useConfirmedDelete } from './confirmed-delete.hook';
import { PageHeader } from './page-header.component';
import { ProblemAlert } from './problem-alert.component';
import { Loaded } from './use-load.hook';

/** How an item is deleted, and what the operator is told before. */
export interface Deletion {
  remove: () => Promise<unknown>;
  /** Where the dashboard goes once the item is gone. */
  then: Route;
  confirmLabel: string;
  consequence: ReactNode;
  /** The role that may delete; Delete is not shown to the others. */
  role: Role;
}

interface DetailPageProps<T> {
  id: string;
  item: Loaded<T>;
  breadcrumb: ReactNode;
  deletion: Deletion;
  /** Buttons after Delete, once the item has loaded. */
  actions?: (item: T) => ReactNode;
  children: (item: T) => ReactNode;
}

/** The screen of one saved item: its name as the title, Delete behind a question, and its details. */
export function DetailPage<T extends { displayName: string }>({ id, item, breadcrumb, deletion, actions, children }: DetailPageProps<T>) {
  const deleting = useConfirmedDelete(deletion.remove, deletion.then);
  const mayDelete = useAllowed(deletion.role);
  const data = item.data;
  const name = data?.displayName || id;
  return (
    <>
      <PageHeader
        title={name}
        breadcrumb={breadcrumb}
        actions={
          data ? (
            <>
              {mayDelete ? (
                <button type="button" className="button button--danger" onClick={deleting.ask}>
                  Delete
                </button>
              ) : null}
              {actions?.(data)}
            </>
          ) : null
        }
      />
      <ProblemAlert problem={item.problem ?? deleting.problem} />
      {data ? children(data) : null}
      {deleting.asking ? (
        <ConfirmDialog title={`Delete ${name}?`} confirmLabel={deletion.confirmLabel} danger busy={deleting.busy} onConfirm={deleting.confirm} onCancel={deleting.cancel}>
          {deletion.consequence}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
