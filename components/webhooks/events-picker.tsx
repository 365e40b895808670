'use client';

import { useState } from 'react';
import { Checkbox } from '@/components/ui/checkbox';
import { Badge } from '@/components/ui/card';

export type CatalogEntry = { name: string; description: string; deprecated: boolean };

// The Events field: "All events" (stored as *) or one checkbox per event type; deprecated types only while subscribed.
export function EventsPicker({ catalog, initial, errors, disabled }: { catalog: CatalogEntry[]; initial: string[]; errors?: string[]; disabled?: boolean }) {
  const [all, setAll] = useState(initial.includes('*'));
  const [picked, setPicked] = useState(() => new Set(initial.filter((t) => t !== '*')));
  const offered = catalog.filter((t) => !t.deprecated || picked.has(t.name) || initial.includes(t.name));
  const toggle = (name: string, on: boolean) =>
    setPicked((s) => {
      const n = new Set(s);
      if (on) n.add(name);
      else n.delete(name);
      return n;
    });
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">Events</legend>
      <p className="text-xs text-slate-500">The event types this endpoint receives.</p>
      <Checkbox id="events-all" name="eventTypes" value="*" label="All events" checked={all} disabled={disabled}
        onChange={(e) => setAll(e.target.checked)} description="Every event type, including ones added later." />
      <div className="space-y-2 border-l-2 border-slate-100 pl-4">
        {offered.map((t) => (
          <Checkbox key={t.name} id={`event-${t.name}`} name="eventTypes" value={t.name} disabled={disabled || all}
            checked={all || picked.has(t.name)} onChange={(e) => toggle(t.name, e.target.checked)}
            label={<span className="font-mono">{t.name}{t.deprecated ? <> <Badge tone="amber">deprecated</Badge></> : null}</span>}
            description={t.description || undefined} />
        ))}
        {offered.length === 0 ? <p className="text-sm text-slate-500">No event types yet; add them under Settings → Event types.</p> : null}
      </div>
      {errors?.map((e) => <p key={e} className="text-sm text-red-700" role="alert">{e}</p>)}
    </fieldset>
  );
}
