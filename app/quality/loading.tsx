import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton title="Data quality" blocks={[220, 240, 200, 260]} />;
}
