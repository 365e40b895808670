export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-surface p-8 shadow-sm">
        <p className="mb-6 text-center text-lg font-semibold tracking-tight">
          <span className="text-indigo-700">Hook</span>relay
        </p>
        {children}
      </div>
    </main>
  );
}
