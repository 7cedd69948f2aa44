import { PrismaPg } from '@prisma/adapter-pg';
import { publishWithPrisma } from '../src/prisma.ts';
import { generatePrismaClient } from './prisma/generate.ts';
import { describeWrapper } from './wrapperContract.ts';

// publishWithPrisma inside prisma.$transaction(async (tx) => …), Prisma 7 without a query engine
// binary: the TypeScript client generated from prisma/schema.prisma, over @prisma/adapter-pg.
describeWrapper('publishWithPrisma', async (connectionString) => {
  const { PrismaClient } = await generatePrismaClient();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 2 }) });
  return {
    publishWithInvoice: (invoice, message, afterPublish) =>
      prisma.$transaction(async (tx) => {
        await tx.invoice.create({ data: { id: invoice } });
        const id = await publishWithPrisma(tx, message);
        afterPublish?.(id);
        return id;
      }),
    close: () => prisma.$disconnect(),
  };
});
