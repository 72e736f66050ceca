import Link from 'next/link';
import { redirect } from 'next/navigation';
import { AdminModels } from '@/components/models/admin-models';
import { isAdmin } from '@/lib/auth/session';
import { config } from '@/lib/config/env';
import { LABEL_TYPES } from '@/lib/labels/definitions';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Models · Admin · Feature Foundation' };

export default async function AdminModelsPage() {
  if (!(await isAdmin())) redirect('/admin/login');
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Admin · Models</h1>
          <p className="lede">Register ONNX models, activate, retire and roll back versions. The <Link href="/models">models page</Link> shows how they do.</p>
        </div>
      </div>
      <AdminModels labelTypes={LABEL_TYPES} timeframes={config().TRACKED_TIMEFRAMES} />
    </>
  );
}
