import Link from 'next/link';
import { NavLinks } from './nav-links';

export function Nav() {
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden>◆</span> Feature Foundation
      </Link>
      <NavLinks />
    </header>
  );
}
