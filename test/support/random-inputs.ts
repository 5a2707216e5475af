/** Random values for programs' inputs, from the engine's seeded generator (failures reproduce from the seed). */
import { createRandom } from "../../src/numeric/random.js";
import type { MatrixProgram } from "../../src/matrix/build.js";
import type { Matrix } from "../../src/numeric/matrix.js";

/** Uniforms in [0, 1) from the engine's seeded generator. */
export function rng(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.uniform();
}

/** Random values in [-1, 1) of every declared input, each named size drawn from 1 to `maxSize`. */
export function randomInputs(program: MatrixProgram, r: () => number, maxSize = 4): Map<string, Matrix> {
  const sizes = new Map<string | number, number>();
  const size = (d: string | number): number => {
    if (typeof d === "number") return d;
    if (!sizes.has(d)) sizes.set(d, 1 + Math.floor(r() * maxSize));
    return sizes.get(d)!;
  };
  const values = new Map<string, Matrix>();
  for (const d of program.declarations.values()) {
    if (d.kind === "function") continue;
    values.set(d.name, Array.from({ length: size(d.shape.rows) }, () => Array.from({ length: size(d.shape.cols) }, () => r() * 2 - 1)));
  }
  return values;
}
