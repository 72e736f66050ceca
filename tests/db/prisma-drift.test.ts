import { readFileSync } from 'node:fs';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLUP_VIEWS } from '../../lib/db/rollups';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';

/**
 * prisma/schema.prisma must describe exactly what the migrations create: every table, every column
 * with its type and nullability. Prisma's own schema parser (the DMMF) reads the schema; the
 * migrated database answers from information_schema. The rollups are read models (continuous
 * aggregates under TimescaleDB, trigger-kept tables otherwise) and are read with SQL, not Prisma.
 */
interface DmmfField { name: string; dbName: string | null; kind: string; type: string; isRequired: boolean; isList: boolean; nativeType: [string, string[]] | null }
interface DmmfModel { name: string; dbName: string | null; fields: DmmfField[] }
interface DbColumn { table: string; column: string; dataType: string; udtName: string; nullable: boolean }

const SCHEMA = readFileSync('prisma/schema.prisma', 'utf8');
const models = (JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: SCHEMA }))) as { datamodel: { models: DmmfModel[] } }).datamodel.models;

/** The PostgreSQL type a Prisma scalar is stored as, as information_schema spells it (udt_name). */
function expectedUdt(field: DmmfField): string {
  const native = field.nativeType?.[0];
  const base = native === 'Uuid' ? 'uuid' : native === 'SmallInt' ? 'int2'
    : ({ String: 'text', Int: 'int4', BigInt: 'int8', Float: 'float8', Boolean: 'bool', DateTime: 'timestamptz', Json: 'jsonb', Bytes: 'bytea' } as Record<string, string>)[field.type] ?? `?${field.type}`;
  return field.isList ? `_${base}` : base;
}

/** Every difference between the schema and the database, one line each; empty when they agree. */
function schemaDrift(schemaModels: readonly DmmfModel[], columns: readonly DbColumn[], ignoredTables: readonly string[]): string[] {
  const problems: string[] = [];
  const byTable = new Map<string, Map<string, DbColumn>>();
  for (const column of columns) {
    if (!byTable.has(column.table)) byTable.set(column.table, new Map());
    byTable.get(column.table)!.set(column.column, column);
  }
  const modelled = new Set<string>();
  for (const model of schemaModels) {
    const table = model.dbName ?? model.name;
    modelled.add(table);
    const actual = byTable.get(table);
    if (!actual) {
      problems.push(`model ${model.name}: table ${table} does not exist`);
      continue;
    }
    const scalars = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
    for (const field of scalars) {
      const name = field.dbName ?? field.name;
      const column = actual.get(name);
      if (!column) problems.push(`${table}.${name}: in the schema, not in the database`);
      else {
        if (column.udtName !== expectedUdt(field)) problems.push(`${table}.${name}: database ${column.udtName}, schema ${expectedUdt(field)}`);
        if (column.nullable === field.isRequired && !field.isList) problems.push(`${table}.${name}: database ${column.nullable ? 'nullable' : 'not null'}, schema ${field.isRequired ? 'required' : 'optional'}`);
      }
    }
    const fieldColumns = new Set(scalars.map((f) => f.dbName ?? f.name));
    for (const column of actual.keys()) if (!fieldColumns.has(column)) problems.push(`${table}.${column}: in the database, not in the schema`);
  }
  for (const table of byTable.keys()) {
    if (!modelled.has(table) && !ignoredTables.includes(table)) problems.push(`table ${table}: no model in prisma/schema.prisma`);
  }
  return problems.sort();
}

describe('prisma/schema.prisma against the migrated database', () => {
  let db: TestDatabase;
  let columns: DbColumn[];
  beforeAll(async () => {
    db = await createMigratedDatabase();
    ({ rows: columns } = await db.pool.query<DbColumn>(`
      select c.table_name as table, c.column_name as column, c.data_type as "dataType", c.udt_name as "udtName", c.is_nullable = 'YES' as nullable
      from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`));
  });
  afterAll(() => db?.drop());

  it('models every table and every column, with its type and nullability', () => {
    expect(models.length).toBeGreaterThanOrEqual(13);
    expect(schemaDrift(models, columns, ROLLUP_VIEWS)).toEqual([]);
  });

  it('notices a missing table, a missing or extra column and a wrong type or nullability', () => {
    const run = models.find((m) => m.dbName === 'collection_runs')!;
    const drifted: DmmfModel[] = [
      ...models.filter((m) => m !== run && m.dbName !== 'fear_greed_samples'),
      {
        ...run,
        fields: [
          ...run.fields.filter((f) => f.name !== 'worker').map((f) => (f.name === 'progress' ? { ...f, type: 'Int' } : f.name === 'error' ? { ...f, isRequired: true } : f)),
          { ...run.fields[0]!, name: 'priority', dbName: null },
        ],
      },
    ];
    expect(schemaDrift(drifted, columns, ROLLUP_VIEWS)).toEqual([
      'collection_runs.error: database nullable, schema required',
      'collection_runs.priority: in the schema, not in the database',
      'collection_runs.progress: database float8, schema int4',
      'collection_runs.worker: in the database, not in the schema',
      'table fear_greed_samples: no model in prisma/schema.prisma',
    ]);
  });
});
