import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="empty state-block">
      <div>
        <strong>Page not found</strong>
        <p>
          Back to the <Link href="/">overview</Link>.
        </p>
      </div>
    </div>
  );
}
