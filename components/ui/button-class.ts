// Button styles without 'use client', so Server Components can style links as buttons too.
// Hover darkens, in both schemes (app/globals.css): white text keeps 4.5:1 under the pointer (red-500 fell below it).
const VARIANTS = {
  primary: 'bg-indigo-600 text-white hover:bg-primary-hover disabled:bg-indigo-300',
  secondary: 'bg-surface text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-500',
  danger: 'bg-red-600 text-white hover:bg-danger-hover disabled:bg-red-300',
  ghost: 'text-slate-700 hover:bg-slate-100',
} as const;

export type ButtonVariant = keyof typeof VARIANTS;

// The class names of a button, for buttons and for links styled as buttons.
export function buttonClass(variant: ButtonVariant = 'primary', extra = '') {
  return `inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium shadow-sm transition ${VARIANTS[variant]} ${extra}`;
}
