// Entry point of the `microapps` command (bundled into dist/microapps.js by `npm install`).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
