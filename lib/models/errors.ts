/**
 * The model layer's errors. Routes map them to HTTP once (app/api/models/http.ts); the CLI prints the
 * message and exits non-zero.
 */
export class ModelContractError extends Error {
  override name = 'ModelContractError';
}

export class ModelNotFoundError extends Error {
  override name = 'ModelNotFoundError';
}

/** An action the model's current status does not allow (activating a retired model, …). */
export class ModelStateError extends Error {
  override name = 'ModelStateError';
}
