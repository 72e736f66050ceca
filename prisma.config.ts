import { defineConfig } from 'prisma/config';

// Prisma only generates the typed client here; migrations are SQL applied by `npm run db:migrate`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
