import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

/**
 * One output file per source module, so that a bundler keeps only the modules an application
 * imports. Every module of src/ is an entry; this plugin leaves each relative import as an import
 * of the sibling output file, whose extension is the one of the format being written (.js for ESM,
 * .cjs for CommonJS: a `require('./x.js')` would load the ESM file, or fail).
 */
const keepModules: Plugin = {
  name: 'deltaprop-keep-modules',
  setup(build) {
    const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      if (!args.path.endsWith('.js')) throw new Error(`${args.importer}: relative import "${args.path}" must end in .js`);
      return { path: args.path.slice(0, -'.js'.length) + extension, external: true };
    });
  },
};

export default defineConfig({
  entry: ['src/**/*.ts'],
  format: ['esm', 'cjs'],
  target: 'es2022',
  platform: 'neutral',
  // The declarations are one file per format (index.d.ts, index.d.cts): the types of the single entry point.
  dts: { entry: 'src/index.ts', compilerOptions: { ignoreDeprecations: '6.0' } },
  // No source maps in the package: the output is unminified and file-for-file the same modules as
  // src/, so a stack trace already points at readable code; maps would more than double its size.
  sourcemap: false,
  clean: true,
  splitting: false,
  esbuildPlugins: [keepModules],
});
