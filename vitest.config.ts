import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every integration test starts real HTTP servers on loopback; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Measured on the 2-core machine (see the README, "Development"): most of the suite's time was
    // each file importing the gateway, the simulators and graphql afresh in a new process (37 s of
    // 90 s for the unit and HTTP-layer files). Test files bind port 0, own their stacks and close
    // them, so one worker process can run file after file: imports are paid once per worker.
    isolate: false,
    // Two files at a time: the integration files spend much of their time waiting on sockets and
    // timers, so a second worker uses the CPU that the first leaves idle. (Vitest's default on two
    // cores is one worker.)
    maxWorkers: 2,
  },
});
