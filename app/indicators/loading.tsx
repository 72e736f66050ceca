import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton title="Indicators" blocks={[420, 110, 110, 110]} />;
}
