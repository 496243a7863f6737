// Types of scripts/make-module-runtime.mjs, for the test that regenerates the runtime.
export declare const runtimePath: string;
export declare function runtimeSources(): { typescript: string; javascript: string };
export declare function generateRuntimeFile(): string;
