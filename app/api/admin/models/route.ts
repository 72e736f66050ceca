import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { invalid } from '@/lib/errors';
import { adminRoute } from '@/lib/http/admin-route';
import { MAX_MODEL_BYTES, parseRegistration, registerOnnxModel } from '@/lib/models';

export const dynamic = 'force-dynamic';

/**
 * POST /api/admin/models (multipart/form-data): `file` (the .onnx) and `registration`, a JSON object
 * {name, version, labelType, horizon?, timeframe?, symbols?, features?, classNames?, trainingStart?, trainingEnd?}.
 * The model is checked against the contract before anything is stored; it starts as a candidate.
 */
export const POST = adminRoute(async (request) => {
  const form = await request.formData().catch(() => {
    throw invalid('the body must be multipart/form-data with a `file` and a `registration` field');
  });
  const file = form.get('file');
  if (!(file instanceof File)) throw invalid('file: attach the .onnx model file');
  if (file.size > MAX_MODEL_BYTES) throw invalid(`file: at most ${MAX_MODEL_BYTES} bytes`);
  let fields: unknown;
  try {
    fields = JSON.parse(String(form.get('registration') ?? ''));
  } catch {
    throw invalid('registration: must be a JSON object');
  }
  const registration = parseRegistration({ ...(fields as object), registeredBy: 'admin' });
  const model = await registerOnnxModel({ pool: getPool(), prisma: getPrisma() }, registration, new Uint8Array(await file.arrayBuffer()));
  return { model };
}, { status: 201 });
