import { NextResponse } from 'next/server';
import { getHealth } from '@/lib/health/get-health';
import { RETRY_AFTER_SECONDS } from '@/lib/db/outage';

export const dynamic = 'force-dynamic';

/** 200 when the database answers, 503 when it does not; the body says which mode and versions. */
export async function GET() {
  const health = await getHealth();
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (health.status !== 'ok') headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
  return NextResponse.json(health, { status: health.status === 'ok' ? 200 : 503, headers });
}
