import { PageSkeleton } from '@/components/ui/page-skeleton';

export default function Loading() {
  return <PageSkeleton title="Models" blocks={[160, 360, 240, 240]} />;
}
