/** The numeric tools beyond `evaluate`: descent, gradient checks, training, data. */
export { gradientDescent, parseSchedule, programObjective } from "./descent.js";
export type { StepSchedule, Objective, DescentOptions, DescentResult, DescentRow, Evaluation } from "./descent.js";
export { exactValue, scalarText, type Scalar } from "./exact.js";
export { finiteDifferenceCheck, type FdCheckOptions, type FdCheckResult, type FdComponent } from "./fdcheck.js";
export { train, gridPredictions, type TrainOptions, type TrainResult, type Restart, type GridAxis, type GridPredictions } from "./train.js";
export { createRandom, type Random } from "./random.js";
export { loadData, parseGrid, type DataSet } from "./data.js";
export { symmetricEigenvalues, conditionNumber } from "./eigen.js";
export { preactivationVariances, meanPreactivationVariances, activationNamed, type PropagationOptions, type WeightInit } from "./propagate.js";
