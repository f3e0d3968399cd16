/**
 * The tool's version, from package.json. The bundler (scripts/bundle.mjs) writes it in as a
 * constant, so `microapps --version` reads no file at start-up.
 */
declare const __MICROAPPS_VERSION__: string | undefined;

export const VERSION: string =
  typeof __MICROAPPS_VERSION__ === 'string' ? __MICROAPPS_VERSION__ : 'unknown (not built with scripts/bundle.mjs)';
