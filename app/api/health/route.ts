import { NextResponse } from 'next/server';
import { getHealth } from '@/lib/health/get-health';

export const dynamic = 'force-dynamic';

/** 200 when the database answers, 503 when it does not; the body says which mode and versions. */
export async function GET() {
  const health = await getHealth();
  return NextResponse.json(health, { status: health.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
