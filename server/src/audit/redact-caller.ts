import { checkPhone, maskName, maskPhone } from '@gcc/shared';

// The audit log keeps who did what, not the residents' phone book: a report's caller is written
// masked (138****5678, 张*丰), as every screen but the call-back desks shows it. The raw input is
// audited before it is validated, so anything may stand there; it is masked whatever it is.

const maskText = (v: unknown, mask: (s: string) => string): unknown =>
  typeof v === 'string' ? mask(v) : v === undefined || v === null ? v : '[masked]';

/** A `cases.report` input with its caller's name and phone masked, for the audit row. */
export function reportAuditInput(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const caller = (raw as { caller?: unknown }).caller;
  if (typeof caller !== 'object' || caller === null || Array.isArray(caller)) return raw;
  const { name, phone, ...rest } = caller as { name?: unknown; phone?: unknown };
  return {
    ...raw,
    caller: {
      ...rest,
      ...(name !== undefined ? { name: maskText(name, maskName) } : {}),
      ...(phone !== undefined
        ? {
            phone: maskText(phone, (s) => {
              const r = checkPhone(s);
              return maskPhone(r.valid ? r.phone : s.slice(0, 32));
            }),
          }
        : {}),
    },
  };
}
