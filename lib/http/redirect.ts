import { NextResponse } from 'next/server';

/**
 * A 303 to a path on this site, with a relative Location: the browser resolves it against the
 * address it used. request.url is built from the server's listen address (0.0.0.0 behind `npm
 * start`), which a browser must not be sent to.
 */
export function seeOther(path: string, headers: HeadersInit = {}): NextResponse {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error(`not a path on this site: ${path}`);
  const response = new NextResponse(null, { status: 303, headers });
  response.headers.set('Location', path);
  return response;
}
