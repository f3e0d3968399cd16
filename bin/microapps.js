#!/usr/bin/env node
// The `microapps` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the prepare script); this file only starts them.
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find module '[^']*dist[\/]cli[\/]main\.js'/.test(String(error.message))) {
    process.stderr.write('microapps: the tool is not built yet. Run "npm install" (or "npm run build") in its folder.\n');
    process.exit(2);
  }
  throw error;
}
process.exitCode = await main(process.argv.slice(2));
