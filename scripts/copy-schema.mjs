// Part of `npm run build`: the compiled gateway reads the SDL at start from `schema/` beside its
// `src/` (src/server/schema-files.ts), so dist/ gets its own copy of schema/*.graphql.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

rmSync('dist/schema', { recursive: true, force: true });
mkdirSync('dist/schema', { recursive: true });
for (const file of readdirSync('schema')) if (file.endsWith('.graphql')) copyFileSync(`schema/${file}`, `dist/schema/${file}`);
