/**
 * The one place where deltaprop allocates the float64 storage its kernels work on: parameter
 * stores and training workspaces. Keeping it in one function lets a backend place that storage
 * elsewhere (WebAssembly memory) without touching the code that uses it.
 */
export function allocateFloat64(length: number): Float64Array {
  return new Float64Array(length);
}
