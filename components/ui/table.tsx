// A bordered table for lists of records; pass <thead>/<tbody> rows built with Th and Td.
export function Table({ caption, children, className = '' }: { caption?: string; children: React.ReactNode; className?: string }) {
  return (
    <div className={`overflow-x-auto rounded-lg border border-slate-200 bg-surface shadow-sm ${className}`}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

// A column heading.
export function Th({ children, className = '' }: { children?: React.ReactNode; className?: string }) {
  return <th scope="col" className={`bg-slate-50 px-4 py-2.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 ${className}`}>{children}</th>;
}

// A table cell.
export function Td({ children, className = '', ...props }: React.TdHTMLAttributes<HTMLTableCellElement> & { 'data-testid'?: string }) {
  return <td {...props} className={`px-4 py-3 align-top text-slate-800 ${className}`}>{children}</td>;
}

// The body of a table, with row dividers.
export function TBody({ children }: { children: React.ReactNode }) {
  return <tbody className="divide-y divide-slate-200">{children}</tbody>;
}
