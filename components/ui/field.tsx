// A labelled form field with its error messages; the label is bound to the input by id.
export function Field({ id, label, hint, errors, children }: { id: string; label: string; hint?: React.ReactNode; errors?: string[]; children: React.ReactNode }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      {children}
      {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {errors?.map((e) => (
        <p key={e} id={`${id}-error`} className="text-sm text-red-700" role="alert">{e}</p>
      ))}
    </div>
  );
}

export const inputClass =
  'block w-full rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500';

// A text input styled for forms.
export function Input(props: React.InputHTMLAttributes<HTMLInputElement>) {
  return <input {...props} className={`${inputClass} ${props.className ?? ''}`} />;
}

// The form-level message of an action: an error in red, a success note in green.
export function FormMessage({ state }: { state: { ok: boolean; error?: string; message?: string } }) {
  if (state.error) return <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{state.error}</p>;
  if (state.ok && state.message) return <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{state.message}</p>;
  return null;
}
