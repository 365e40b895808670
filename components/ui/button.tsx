'use client';
import { useFormStatus } from 'react-dom';
import { buttonClass, type ButtonVariant } from './button-class';
import { useHydrated } from './use-hydrated';

// A button; disabled until the page has hydrated, since its click is handled by React.
export function Button({ variant = 'primary', className = '', disabled, ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  const hydrated = useHydrated();
  return <button className={buttonClass(variant, className)} disabled={disabled || !hydrated} {...props} />;
}

// A submit button that is disabled while its form is submitting, and until hydration unless its form also works
// without JavaScript (`worksWithoutJs`, a plain server-action form).
export function SubmitButton({ children, pendingText, variant = 'primary', className = '', worksWithoutJs = false, disabled, ...props }: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; pendingText?: string; worksWithoutJs?: boolean }) {
  const { pending } = useFormStatus();
  const hydrated = useHydrated();
  return (
    <button type="submit" disabled={pending || disabled || (!hydrated && !worksWithoutJs)} className={buttonClass(variant, className)} {...props}>
      {pending && pendingText ? pendingText : children}
    </button>
  );
}

// A dialog form's footer: Cancel, then the submit button (its label is the children).
export function DialogButtons({ onCancel, children, ...submit }: React.ComponentProps<typeof SubmitButton> & { onCancel: () => void }) {
  return (
    <div className="flex justify-end gap-2">
      <Button type="button" variant="secondary" onClick={onCancel}>Cancel</Button>
      <SubmitButton {...submit}>{children}</SubmitButton>
    </div>
  );
}
