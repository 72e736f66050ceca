import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton title="Sentiment" blocks={[78, 220, 200, 200]} />;
}
