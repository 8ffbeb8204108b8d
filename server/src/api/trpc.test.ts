import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { appRouter } from './router.ts';
import type { Context } from './trpc.ts';

// What a caller reads when the server fails: that it failed and which request it was — never
// the SQL, the input it was running with, or a stack.
describe('an internal error as the caller sees it', () => {
  const format = appRouter._def._config.errorFormatter;
  const leak = 'insert into "audit_log" ("input") values ($1) -- params: {"zz":"a\\u0000b"}';

  it('names the request and nothing of what failed', () => {
    const error = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: leak });
    const shape = format({
      error,
      type: 'mutation',
      path: 'cases.report',
      input: { zz: 'a\u0000b' },
      ctx: { requestId: 'req-7f' } as Context,
      shape: {
        message: leak,
        code: -32603,
        data: {
          code: 'INTERNAL_SERVER_ERROR',
          httpStatus: 500,
          path: 'cases.report',
          stack: `Error: ${leak}`,
        },
      },
    });
    const text = JSON.stringify(shape);
    expect(shape.message).toContain('req-7f');
    expect(shape.message).toMatch(/服务器内部错误.*internal error/);
    expect(text).not.toContain('audit_log');
    expect(text).not.toContain('stack');
  });

  it('keeps the reason of a refusal the caller can act on', () => {
    const error = new TRPCError({
      code: 'BAD_REQUEST',
      message: 'reason is required',
      cause: { reason: 'reason-required' } as unknown as Error,
    });
    const shape = format({
      error,
      type: 'mutation',
      path: 'cases.command',
      input: {},
      ctx: { requestId: 'r1' } as Context,
      shape: {
        message: error.message,
        code: -32600,
        data: { code: 'BAD_REQUEST', httpStatus: 400, path: 'cases.command' },
      },
    });
    expect(shape.message).toBe('reason is required');
  });
});
