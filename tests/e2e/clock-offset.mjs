// Test-only preload (node --import): runs the server with its clock shifted by
// GCC_E2E_CLOCK_OFFSET_MS, so cases reported "hours ago" can be made without waiting for them.
const offset = Number(process.env.GCC_E2E_CLOCK_OFFSET_MS ?? 0);
if (offset) {
  const real = Date.now;
  Date.now = () => real() + offset;
}
