'use client';

import { useId, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';

export type SnippetView = { language: string; filename: string; code: string };

const LABELS: Record<string, string> = { node: 'Node', python: 'Python', go: 'Go' };

// The verification code for the endpoint's format, one tab per language, with Copy.
export function ReceiverCode({ snippets }: { snippets: SnippetView[] }) {
  const [active, setActive] = useState(0);
  const base = useId();
  const current = snippets[active];
  if (!current) return <p className="text-sm text-slate-600">No receiver code is available for this format.</p>;
  return (
    <div className="space-y-2">
      <div role="tablist" aria-label="Language" className="flex gap-1 border-b border-slate-200">
        {snippets.map((s, i) => (
          <button key={s.language} type="button" role="tab" id={`${base}-tab-${i}`} aria-selected={i === active} aria-controls={`${base}-panel`}
            onClick={() => setActive(i)}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm ${i === active ? 'border-indigo-600 font-medium text-indigo-800' : 'border-transparent text-slate-600 hover:text-slate-900'}`}>
            {LABELS[s.language] ?? s.language}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${active}`} className="space-y-2">
        <div className="flex items-center justify-between">
          <span className="font-mono text-xs text-slate-500">{current.filename}</span>
          <CopyButton value={current.code} />
        </div>
        <pre tabIndex={0} className="focus-visible:outline-2 focus-visible:outline-indigo-500 max-h-[28rem] overflow-auto rounded-md bg-code p-4 font-mono text-xs leading-relaxed text-code-fg"><code>{current.code}</code></pre>
      </div>
    </div>
  );
}
