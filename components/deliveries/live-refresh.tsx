'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

// Re-renders the page's server components every `delayMs` while it is set (a delivery is pending or delivering).
export function LiveRefresh({ delayMs }: { delayMs: number | null }) {
  const router = useRouter();
  useEffect(() => {
    if (delayMs === null) return;
    const t = setInterval(() => router.refresh(), delayMs);
    return () => clearInterval(t);
  }, [delayMs, router]);
  return delayMs !== null ? <p className="sr-only" role="status">Updating while the delivery is in flight.</p> : null;
}
