#!/usr/bin/env node
// The `microapps` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the prepare script); this file only starts them.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`microapps: ${error?.stack ?? error}\n`);
    process.exitCode = 3;
  },
);
