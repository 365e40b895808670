'use client';

import { useEffect, useState } from 'react';
import { Button } from '@/components/ui/button';

// Copies a value to the clipboard and says "Copied" for a moment (or why it could not).
export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (status === 'idle') return;
    const t = setTimeout(() => setStatus('idle'), 2500);
    return () => clearTimeout(t);
  }, [status]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      setStatus('failed');
    }
  };
  return (
    <>
      <Button type="button" variant="secondary" className="px-2.5 py-1 text-xs" onClick={copy}>
        {status === 'copied' ? 'Copied' : label}
      </Button>
      <span role="status" className="sr-only">{status === 'copied' ? 'Copied to the clipboard' : ''}</span>
      {status === 'failed' ? <span role="alert" className="text-xs text-red-700">Copy failed; select the text and copy it by hand.</span> : null}
    </>
  );
}
