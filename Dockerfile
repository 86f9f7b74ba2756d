# syntax=docker/dockerfile:1
# opsgraph: GraphQL gateway over ISOlocity, Pharus, Distru and HAPIHub.
# Node 22 is the current LTS line; the code also runs on Node >= 20.19 (see package.json engines).
# Three stages: compile with the dev dependencies, install the production dependencies alone, then
# a runtime image with the compiled JavaScript and those dependencies only (no TypeScript, no tsx,
# no fastify, no vendor simulators' dependencies).

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The compiler needs no native add-on, so no install scripts here.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
COPY resolvers ./resolvers
COPY sandbox ./sandbox
RUN npm run build

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; install scripts run (better-sqlite3 fetches its native binary).
RUN npm ci --omit=dev && npm cache clean --force

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=4000 HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# The gateway only: dist/sandbox (the vendor simulators) stays behind.
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/resolvers ./dist/resolvers
COPY --from=build /app/dist/schema ./dist/schema
COPY config ./config
# The embedded store (SQLite) lives in OPSGRAPH_DATA_DIR, ./.opsgraph by default: writable by the
# node user; mount a volume there to keep it across containers (or set DATABASE_URL).
RUN mkdir -p .opsgraph && chown node:node .opsgraph
VOLUME /app/.opsgraph
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node is PID 1 and handles SIGTERM itself (graceful shutdown in src/main.ts); no npm, no shell.
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
