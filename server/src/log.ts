import pino from 'pino';

/** The server's logger (pino, JSON lines; pipe through `pino-pretty` to read by eye). */
export function createLogger(level: string) {
  return pino({ level, base: { app: 'gcc' } });
}
export type Logger = ReturnType<typeof createLogger>;
