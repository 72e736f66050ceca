import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { databaseUrl } from './pool';

/** Typed reads and small writes. Prisma 7 is Rust-free: the pg driver adapter does the talking. */
export function createPrisma(url: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

let prisma: PrismaClient | undefined;

export function getPrisma(): PrismaClient {
  prisma ??= createPrisma(databaseUrl());
  return prisma;
}

export type { PrismaClient };
