import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every integration test starts real HTTP servers on loopback; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Measured on the 2-core machine: each file importing the gateway, the simulators and graphql
    // afresh in a new process is much of the suite's time (37 s of 90 s for the unit and HTTP-layer
    // files; 25 s in all with `isolate: false`, and the whole suite used half the CPU time). Not yet
    // switched on: with it, test/observability/metrics-endpoint.test.ts fails after other files ran
    // in the same process (not yet diagnosed; it passes alone and with isolation).
    // Two files at a time: the integration files spend much of their time waiting on sockets and
    // timers, so a second worker uses the CPU that the first leaves idle. (Vitest's default on two
    // cores is one worker.)
    maxWorkers: 2,
  },
});
