import type { z } from 'zod';

/** The first problem, led by the name of the field it is about: what a 400 (or a refused run) says. */
export function zodMessage(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'invalid input';
}
