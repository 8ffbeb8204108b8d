import { z } from 'zod';

// The caller of a 12345 hotline case (来电人, 联系电话) and the hotline's ticket number (工单号).
// A phone is read as a person types or caller ID shows it — spaces, hyphens, brackets, a +86
// prefix — and stored in one form: a mobile as its 11 digits, a landline as `区号-号码`. Screens
// that do not call back show it masked (138****5678, PIPL's "minimum necessary"); the full number
// reaches only the posts that call the resident back, and the device of the worker sent there.

/** The longest phone text read (a landline with area code and extension fits in 24). */
export const MAX_PHONE_INPUT = 32;
export const MAX_CALLER_NAME = 32;
export const MAX_TICKET_LENGTH = 32;

/** Why a phone number is refused (message keys `caller.phone.<reason>`). */
export const PHONE_REFUSALS = ['too-long', 'not-a-phone', 'bad-mobile', 'bad-landline'] as const;
export type PhoneRefusal = (typeof PHONE_REFUSALS)[number];

export type PhoneCheck =
  { valid: true; phone: string; kind: 'mobile' | 'landline' } | { valid: false; reason: PhoneRefusal };

// Mainland mobile numbers: 11 digits, 1 then 3–9 (MIIT's numbering plan).
const MOBILE = /^1[3-9]\d{9}$/;
// Area codes: 010 and 02x have three digits with the 0, every other one four (0570 Quzhou).
const SHORT_AREA = /^0(10|2\d)/;
// Local numbers: 7 or 8 digits, never starting with 0 or 1.
const LOCAL = /^[2-9]\d{6,7}$/;

/** Reads a Chinese mobile or landline number as typed (spaces, hyphens, brackets, +86, 转 extension) into its stored form, or says why not. */
export function checkPhone(raw: string): PhoneCheck {
  const text = raw.trim();
  if (text.length > MAX_PHONE_INPUT) return { valid: false, reason: 'too-long' };
  if (!/^[+\d\s\-()（）转,，#ext.]*$/i.test(text) || !/\d/.test(text))
    return { valid: false, reason: 'not-a-phone' };
  // An extension: "0570-8881234-801", "0570 8881234 转 801", "…ext801", "…#801".
  const extMatch = /(?:转|ext\.?|#|,|，)\s*(\d{1,6})$/i.exec(text);
  const main = extMatch ? text.slice(0, extMatch.index) : text;
  const ext = extMatch?.[1];
  const hyphenParts = main
    .replace(/[()（）]/g, '-')
    .split('-')
    .map((p) => p.replace(/\s+/g, ''))
    .filter(Boolean);
  let digits = hyphenParts.join('');
  if (!/^\+?\d+$/.test(digits)) return { valid: false, reason: 'not-a-phone' };
  // A country prefix: +86 or 0086 (a bare 86 before 1x… is caller ID's habit too).
  digits = digits.replace(/^(\+86|0086)/, '');
  if (digits.startsWith('+')) return { valid: false, reason: 'not-a-phone' };
  if (/^861[3-9]\d{9}$/.test(digits)) digits = digits.slice(2);
  if (digits.startsWith('1')) {
    if (ext !== undefined || !MOBILE.test(digits)) return { valid: false, reason: 'bad-mobile' };
    return { valid: true, phone: digits, kind: 'mobile' };
  }
  if (!digits.startsWith('0')) return { valid: false, reason: 'bad-landline' };
  // "0570-8881234-801": a third hyphen part is an extension.
  let extension = ext;
  if (extension === undefined && hyphenParts.length === 3 && /^\d{1,6}$/.test(hyphenParts[2]!)) {
    extension = hyphenParts[2];
    digits = hyphenParts[0]! + hyphenParts[1]!;
  }
  const areaLength = SHORT_AREA.test(digits) ? 3 : 4;
  // Where the caller wrote the area code apart, its length must be what the plan says.
  if (hyphenParts.length >= 2 && hyphenParts[0]!.replace(/^(\+86|0086)/, '').length !== areaLength)
    return { valid: false, reason: 'bad-landline' };
  const area = digits.slice(0, areaLength);
  const local = digits.slice(areaLength);
  if (!LOCAL.test(local)) return { valid: false, reason: 'bad-landline' };
  return { valid: true, phone: `${area}-${local}${extension ? `-${extension}` : ''}`, kind: 'landline' };
}

/** A stored phone as screens that do not call back show it: 138****5678, 0570-***1234 (the extension dropped). */
export function maskPhone(phone: string): string {
  if (MOBILE.test(phone)) return `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const [area, local] = phone.split('-');
  if (area && local && local.length > 4) return `${area}-${'*'.repeat(local.length - 4)}${local.slice(-4)}`;
  // Not a stored form (older rows): keep only the last four digits.
  return phone.length > 4 ? `${'*'.repeat(phone.length - 4)}${phone.slice(-4)}` : '****';
}

/** A caller's name masked: 张*, 张*丰, 欧**娜 — the family name and the last character stay. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

const noControl = (s: string) => !/\p{Cc}/u.test(s);

/** A caller's phone as input: checked and turned into its stored form. */
export const PhoneInputSchema = z
  .string()
  .max(MAX_PHONE_INPUT, `phone longer than ${MAX_PHONE_INPUT} characters`)
  .transform((raw, ctx) => {
    const r = checkPhone(raw);
    if (r.valid) return r.phone;
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: `not a Chinese mobile or landline number (${r.reason})`,
    });
    return z.NEVER;
  });

/** 12345 ticket numbers differ by city (GD20261205000123, 2026120512345-01): letters, digits and hyphens. */
export const TicketSchema = z
  .string()
  .trim()
  .min(1, 'ticket is empty')
  .max(MAX_TICKET_LENGTH, `ticket longer than ${MAX_TICKET_LENGTH} characters`)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'ticket may hold only letters, digits and hyphens')
  .transform((s) => s.toUpperCase());

/** Who called and the hotline's ticket, as intake sends them (every part optional; a ticket only on a hotline case). */
export const CallerInputSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'caller name is empty')
      .max(MAX_CALLER_NAME, `caller name longer than ${MAX_CALLER_NAME} characters`)
      .refine(noControl, 'caller name holds control characters')
      .optional(),
    phone: PhoneInputSchema.optional(),
    ticket: TicketSchema.optional(),
  })
  .strict();
export type CallerInput = z.input<typeof CallerInputSchema>;

/** A case's caller as it travels: masked on every screen, full only where the job calls back (`cases.get` → `contact`). */
export const CaseCallerSchema = z.object({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  ticket: z.string().nullable(),
});
export type CaseCaller = z.infer<typeof CaseCallerSchema>;

/** The caller of a stored case, full or masked; null when the case has none. */
export function callerOf(
  stored: { callerName: string | null; callerPhone: string | null; ticketNo: string | null },
  shown: 'full' | 'masked',
): CaseCaller | null {
  const { callerName, callerPhone, ticketNo } = stored;
  if (callerName === null && callerPhone === null && ticketNo === null) return null;
  const full = shown === 'full';
  return {
    name: callerName === null ? null : full ? callerName : maskName(callerName),
    phone: callerPhone === null ? null : full ? callerPhone : maskPhone(callerPhone),
    // A ticket number names a work order, not a person: it is shown in full.
    ticket: ticketNo,
  };
}
