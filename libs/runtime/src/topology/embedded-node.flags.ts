/**
 * The Node flags the embedded process runs with, wherever it is started (`npm start`, the Nx
 * `serve` target, tests and benchmarks through `startEmbeddedProcess`).
 *
 * - `--no-liftoff`: PGlite's WebAssembly is compiled once by the optimising compiler. With the
 *   baseline compiler first, every hot function was compiled twice and the native memory of the
 *   second compilation stayed with the process: about 40 MiB more at its peak, for no faster SQL.
 * - `--max-old-space-size=256`: the process's live JavaScript heap is under 100 MiB (mostly the
 *   modules' code and sources) and nothing in it grows with the fleet; without a limit V8 let
 *   garbage pile up to 250 MiB before collecting it. The limit makes it collect sooner, for no more
 *   time spent collecting.
 * - `--max-semi-space-size=8`: the young generation is collected at 8 MiB instead of 16, 20 MiB
 *   less at a cost of about 1.5 % of the process's CPU.
 */
export const EMBEDDED_NODE_FLAGS: readonly string[] = ['--no-liftoff', '--max-old-space-size=256', '--max-semi-space-size=8'];
