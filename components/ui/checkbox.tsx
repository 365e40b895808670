import { useId } from 'react';

type ChoiceProps = Omit<React.InputHTMLAttributes<HTMLInputElement>, 'type'> & { label: React.ReactNode; description?: React.ReactNode };

function Choice({ type, label, description, className = '', ...props }: ChoiceProps & { type: 'checkbox' | 'radio' }) {
  const auto = useId();
  const id = props.id ?? auto;
  const descId = `${id}-description`;
  return (
    <div className={`flex items-start gap-2.5 ${className}`}>
      <input {...props} id={id} type={type} aria-describedby={description ? descId : undefined}
        className="mt-0.5 h-4 w-4 shrink-0 border-slate-300 text-indigo-600 accent-indigo-600 focus:ring-indigo-500 disabled:opacity-50" />
      <div className="min-w-0 text-sm">
        <label htmlFor={id} className="font-medium text-slate-800">{label}</label>
        {description ? <p id={descId} className="text-xs text-slate-500">{description}</p> : null}
      </div>
    </div>
  );
}

// A checkbox with its label and an optional one-line description (announced as the description).
export function Checkbox(props: ChoiceProps) {
  return <Choice type="checkbox" {...props} />;
}

// A radio button with its label and an optional one-line description.
export function Radio(props: ChoiceProps) {
  return <Choice type="radio" {...props} />;
}
