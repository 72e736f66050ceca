import { z } from 'zod';
import { invalid } from '@/lib/errors';

/**
 * A sign-in body: JSON, or an HTML form (urlencoded or multipart). Anything else is a 400, a body
 * that does not parse a 400 too, and credentials that are blank after trimming a 400 naming the field.
 */
const field = (name: string) =>
  z
    .string({ error: `${name}: must be text` })
    .max(1024, `${name}: too long`)
    .refine((value) => !value.includes('\0'), `${name}: must not contain NUL bytes`)
    .refine((value) => value.trim().length > 0, `${name}: must not be blank`)
    .optional();

const credentialsSchema = z
  .object({ token: field('token'), username: field('username'), password: field('password') })
  .refine((body) => body.token !== undefined || (body.username !== undefined && body.password !== undefined), 'send a token, or a username and a password');

export type Credentials = z.infer<typeof credentialsSchema>;

async function bodyOf(request: Request): Promise<unknown> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('application/json')) {
    return request.json().catch(() => {
      throw invalid('the body is not valid JSON');
    });
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    const form = await request.formData().catch(() => {
      throw invalid('the form body could not be read');
    });
    // A repeated field is ambiguous: refused rather than guessing which one was meant.
    const body: Record<string, unknown> = {};
    for (const key of ['token', 'username', 'password']) {
      const values = form.getAll(key);
      if (values.length > 1) throw invalid(`${key}: sent more than once`);
      if (values.length === 1) body[key] = values[0];
    }
    return body;
  }
  throw invalid('send the credentials as JSON or as a form (application/x-www-form-urlencoded)');
}

export async function readCredentials(request: Request): Promise<Credentials> {
  const body = await bodyOf(request);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('the body must be an object: {"token": …}');
  const parsed = credentialsSchema.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error.issues[0]?.message ?? 'invalid credentials');
  return parsed.data;
}
