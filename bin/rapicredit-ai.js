#!/usr/bin/env node
// The CLI entry point. `npx rapicredit-ai` puts node_modules/.bin first on PATH, so `node` here is
// the Node.js 24 binary installed by the `node` package, which runs the TypeScript sources directly.
import { main } from '../src/main.ts';

await main(process.argv);
