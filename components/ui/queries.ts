import { query } from './api';

/**
 * Every dashboard query's key and API address, shared by the client components (which fetch them)
 * and the pages (which load the same data on the server and hand it over with the first paint:
 * the keys must agree for the client to find it).
 */
export const queries = {
  overview: { key: ['overview'] as const, url: '/api/overview' },
  health: { key: ['health'] as const, url: '/api/health' },
  tables: { key: ['tables'] as const, url: '/api/tables' },
  series: { key: ['series'] as const, url: '/api/series' },
  features: { key: ['features'] as const, url: '/api/features' },
  adminRuns: { key: ['admin-runs'] as const, url: '/api/admin/runs?limit=50' },
  indicators: (p: { symbol: string; timeframe: string; range: string; end?: string; points: number }) => ({
    key: ['indicators', p.symbol, p.timeframe, p.range, p.end, p.points] as const,
    url: `/api/indicators?${query(p)}`,
  }),
  sentiment: (p: { symbol: string; range: string }) => ({ key: ['sentiment', p.symbol, p.range] as const, url: `/api/sentiment?${query(p)}` }),
  labels: (p: { symbol: string; labelType?: string; horizon?: string; range: string }) => ({
    key: ['labels', p.symbol, p.labelType, p.horizon, p.range] as const,
    url: `/api/labels?${query(p)}`,
  }),
  quality: (days: string) => ({ key: ['quality', days] as const, url: `/api/quality?days=${days}` }),
  quarantine: (p: { page: number; pageSize: number; rule: string }) => ({
    key: ['quarantine', p.page, p.rule] as const,
    url: `/api/quality/quarantine?${query(p)}`,
  }),
  gaps: (p: { symbol: string; timeframe: string; page: number; pageSize: number }) => ({
    key: ['gaps', p.symbol, p.timeframe, p.page] as const,
    url: `/api/quality/gaps?${query(p)}`,
  }),
};
