import { ReactNode } from 'react';

/** The one row of a table that has nothing to list, saying why. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="table__empty">
        {children}
      </td>
    </tr>
  );
}
