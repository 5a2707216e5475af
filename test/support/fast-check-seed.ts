/**
 * One seed for every property test, so a run of `npm test` (and CI) is reproducible: a failure
 * found once is found again. `FC_SEED=random npm test` explores new cases (fast-check prints the
 * seed of a failure, and `FC_SEED=<that seed>` replays it). Tests that pass their own seed keep it.
 */
import fc from "fast-check";

const given = process.env.FC_SEED;
if (given !== "random") fc.configureGlobal({ seed: given === undefined || given === "" ? 20261126 : Number(given) });
