import { NextResponse } from 'next/server';
import { signOut } from '@/lib/auth/session';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  await signOut();
  return NextResponse.redirect(new URL('/admin/login', request.url), { status: 303 });
}
