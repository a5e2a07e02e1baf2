// RFC 9457 problem details: the one error shape for HTTP responses and NATS error replies.
import { z } from 'zod';

export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  currentRevision: z.number().int().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

/** A NATS request-reply answer: exactly one of `ok` / `error`. */
export type RpcReply<T> = { ok: T } | { error: Problem };
