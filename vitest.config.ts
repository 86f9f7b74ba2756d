import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every integration test starts real HTTP servers on loopback; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One process per worker for all its files (not one per file): importing the gateway, the
    // simulators and graphql afresh for each of the 111 files was half the suite's CPU time
    // (measured on the shared 2-core machine, whole suite: 730 s user+sys isolated, 355 s with
    // `isolate: false`). What a file leaves in its process is then seen by the next, so the
    // product keeps no process-wide state a test can trip over: each gateway owns its metrics
    // registry (src/observability/metrics.ts), telemetry shutdown releases the OTel globals
    // (src/observability/telemetry.ts), and files that fake timers restore real ones.
    isolate: false,
    // Three files at a time on two cores: the integration files spend much of their time waiting on
    // sockets, vendor budgets and child processes, so a third worker uses the CPU the other two leave
    // idle. Measured on the quiet 2-core machine, 121 files / 1,405 tests: 279 s with 2 workers,
    // 220 s with 3 (343 s user+sys). (Vitest's default on two cores is one worker.)
    maxWorkers: 3,
  },
});
