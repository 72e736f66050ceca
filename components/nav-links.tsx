'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/indicators', label: 'Indicators' },
  { href: '/sentiment', label: 'Sentiment' },
  { href: '/labels', label: 'Labels' },
  { href: '/features', label: 'Features' },
  { href: '/models', label: 'Models' },
  { href: '/quality', label: 'Quality' },
] as const;

export function NavLinks() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      {PAGES.map((page) => (
        <Link key={page.href} href={page.href} aria-current={pathname === page.href ? 'page' : undefined}>
          {page.label}
        </Link>
      ))}
      <Link href="/admin" className="nav-admin" aria-current={pathname.startsWith('/admin') ? 'page' : undefined}>
        Admin
      </Link>
    </nav>
  );
}
