import type { Metadata } from 'next';
import './globals.css';

export const metadata: Metadata = { title: 'Hookrelay', description: 'Webhooks your customers can trust' };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
