// `node --import ./test/support/production-only/register.mjs dist/src/main.js`: runs the compiled
// gateway as a production install would, failing the moment it loads anything such an install
// lacks (see hooks.mjs).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
