import { signOut } from '@/lib/auth/session';
import { jsonRoute } from '@/lib/http/handler';
import { seeOther } from '@/lib/http/redirect';
import { assertSameOrigin } from '@/lib/http/same-origin';

export const dynamic = 'force-dynamic';

const logout = jsonRoute(async (request) => {
  assertSameOrigin(request);
  // `?everywhere=1` (the admin page's second button) ends every session, on every browser.
  const everywhere = new URL(request.url).searchParams.get('everywhere') === '1';
  await signOut({ everywhere });
  return { signedOut: everywhere ? 'everywhere' : 'this browser' };
});

/** Ends the session on the server (not only the cookie): a copied cookie stops working too. */
export async function POST(request: Request) {
  const reply = await logout(request);
  if (!reply.ok || (request.headers.get('content-type') ?? '').includes('application/json')) return reply;
  return seeOther('/admin/login', { 'Cache-Control': 'no-store' });
}
