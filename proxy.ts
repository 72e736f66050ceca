import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from './lib/http/security-headers';

/**
 * Runs before routing. A path that does not decode (`%FF`, overlong UTF-8) or holds a NUL byte is
 * a 400 here: the router would fail decoding it into route parameters with a 500. Pages get a fresh
 * nonce per request: Next.js puts it on its own scripts (it reads the CSP from the request
 * headers), so no other script can run. APIs keep the script-less policy of next.config.js.
 */
function malformedPath(pathname: string): boolean {
  try {
    return decodeURIComponent(pathname).includes('\0');
  } catch {
    return true;
  }
}

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (malformedPath(pathname)) {
    return NextResponse.json({ error: 'the path is not valid percent-encoded UTF-8' }, { status: 400, headers: { 'Cache-Control': 'no-store' } });
  }
  if (pathname.startsWith('/api/')) return NextResponse.next();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === 'development');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico).*)' }],
};
