'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

// Re-renders the page's server components every `intervalMs` while `active` (a delivery is pending or delivering).
export function LiveRefresh({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(t);
  }, [active, intervalMs, router]);
  return active ? <p className="sr-only" role="status">Updating while the delivery is in flight.</p> : null;
}
