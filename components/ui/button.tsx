'use client';
import { useFormStatus } from 'react-dom';
import { buttonClass, type ButtonVariant } from './button-class';

// A button; inside a form it shows the pending state of the form's submission.
export function Button({ variant = 'primary', className = '', ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button className={buttonClass(variant, className)} {...props} />;
}

// A submit button that is disabled while its form is submitting.
export function SubmitButton({ children, pendingText, variant = 'primary', className = '', ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; pendingText?: string }) {
  const { pending } = useFormStatus();
  return (
    <button type="submit" disabled={pending || props.disabled} className={buttonClass(variant, className)} {...props}>
      {pending && pendingText ? pendingText : children}
    </button>
  );
}
