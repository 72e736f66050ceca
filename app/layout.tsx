import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { DegradedBanner } from '@/components/degraded-banner';
import { Nav } from '@/components/nav';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: 'Feature Foundation',
  description: 'Crypto ML training data: candles, sentiment, TA-Lib-exact features and labels.',
};

// Rendered per request: the Content-Security-Policy nonce (proxy.ts) must reach every page's scripts.
export const dynamic = 'force-dynamic';

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <Nav />
          <DegradedBanner />
          <main className="page">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
