#!/usr/bin/env node
// The `microapps` command. `npm install` builds the sources into one file, dist/microapps.js
// (the prepare script); this file only starts it.
try {
  await import('../dist/microapps.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find module '[^']*dist[/]microapps\.js'/.test(String(error.message))) {
    process.stderr.write('microapps: the tool is not built yet. Run "npm install" (or "npm run build") in its folder.\n');
    process.exit(2);
  }
  throw error;
}
