'use client';

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">The page could not be shown. Try again; if it keeps happening, check the server log.</p>
      <button onClick={reset} className="mt-4 rounded-md bg-code px-4 py-2 text-code-fg">Try again</button>
    </main>
  );
}
