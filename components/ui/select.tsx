import { inputClass } from './field';

// A native select styled like the text inputs.
export function Select({ className = '', ...props }: React.SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...props} className={`${inputClass} pr-8 ${className}`} />;
}

// A multi-line text input styled like the text inputs; monospace for code such as JSON.
export function Textarea({ className = '', mono = false, ...props }: React.TextareaHTMLAttributes<HTMLTextAreaElement> & { mono?: boolean }) {
  return <textarea {...props} className={`${inputClass} ${mono ? 'font-mono text-xs' : ''} ${className}`} />;
}
