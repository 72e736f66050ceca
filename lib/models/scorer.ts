/** Class probabilities for rows of features in the model's registered order: `[row][class]`. */
export type Predict = (rows: Float64Array[]) => Promise<number[][]>;

/** A loaded model version, ready to score. */
export interface Scorer {
  modelId: string;
  features: string[];
  classNames: string[];
  predict: Predict;
}
