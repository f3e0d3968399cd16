// Entry point of the bundled GitHub Action (action/dist/index.js): everything happens in run().
import { run } from './run.js';

await run();
