import type { HTMLAttributes, ReactNode } from 'react';

/** One column: its header and how a row fills its cell. */
export interface Column<T> {
  header: ReactNode;
  /** Read by screen readers only (an actions column has no visible header). */
  headerHidden?: boolean;
  /** The cell's class: `break` for long URLs and ids, `nowrap` for times. */
  className?: string;
  cell: (row: T) => ReactNode;
}

type RowAttributes = HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

/**
 * The portal's and the console's list table: scrolls sideways on a narrow screen, named for
 * assistive technology by a caption only they read, with column headers scoped to their columns.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  rowAttributes,
}: {
  caption: ReactNode;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Extra attributes of a row (`data-*` ids the tests and the page's own code find rows by). */
  rowAttributes?: (row: T) => RowAttributes;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) => (
              <th key={i} scope="col">
                {column.headerHidden ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowAttributes?.(row)}>
              {columns.map((column, i) => (
                <td key={i} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
