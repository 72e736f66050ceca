import 'server-only';
import { getPool } from '../db/pool';
import { ROLLUP_VIEWS } from '../db/rollups';

export const ML_TABLES = ['ml_features_ohlcv', 'ml_features_sentiment', 'ml_labels', 'ml_models_metadata', 'ml_predictions'] as const;

export interface TableCount {
  name: string;
  kind: 'table' | 'rollup';
  rows: number;
}

/** Exact row counts of the ML tables and their rollups (the names are constants, never user input). */
export async function countTables(): Promise<TableCount[]> {
  const names = [...ML_TABLES, ...ROLLUP_VIEWS];
  const sql = names.map((name) => `select '${name}' as name, count(*)::float8 as rows from ${name}`).join(' union all ');
  const { rows } = await getPool().query<{ name: string; rows: number }>(sql);
  return rows.map((row) => ({ ...row, kind: (ML_TABLES as readonly string[]).includes(row.name) ? 'table' : 'rollup' }));
}
