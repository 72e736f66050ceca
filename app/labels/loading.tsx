import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton title="Labels" blocks={[78, 280, 240]} />;
}
