import Link from 'next/link';

/** Pages appear here as they land. */
const PAGES = [{ href: '/', label: 'Overview' }] as const;

export function Nav() {
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>◆</span> Feature Foundation
      </Link>
      <nav aria-label="Main">
        {PAGES.map((page) => (
          <Link key={page.href} href={page.href}>
            {page.label}
          </Link>
        ))}
      </nav>
    </header>
  );
}
