// The deltaprop build every benchmark measures: ../dist by default (`npm run build` first), or
// the dist/index.js named by the DELTAPROP_DIST environment variable (e.g. a build of a given
// commit made elsewhere, so that a rebuild of ../dist during a long run cannot change it).
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const url =
  process.env.DELTAPROP_DIST === undefined || process.env.DELTAPROP_DIST === ''
    ? new URL('../dist/index.js', import.meta.url).href
    : pathToFileURL(path.resolve(process.env.DELTAPROP_DIST)).href;

const deltaprop = await import(url);

/** Absolute path of the dist/index.js in use. */
export const distFile = fileURLToPath(url);
export const { Matrix, Network, Random, adam, sgd, setBackend, getBackend } = deltaprop;
