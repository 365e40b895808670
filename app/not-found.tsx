import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">There is nothing here, or it belongs to another organization.</p>
      <Link href="/settings/webhooks" className="mt-4 inline-block text-indigo-700 underline">Back to webhooks</Link>
    </main>
  );
}
