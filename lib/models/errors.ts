import { DomainError } from '@/lib/errors';

/**
 * The model layer's errors, in the product's one error vocabulary (lib/errors.ts): a model file that
 * breaks the contract is unprocessable (422), a bad registration field invalid (400), an unknown
 * version not found (404), an action its status forbids a conflict (409).
 */
export class ModelContractError extends DomainError {
  override name = 'ModelContractError';
  constructor(message: string, kind: 'unprocessable' | 'invalid' = 'unprocessable') {
    super(kind, message);
  }
}

export class ModelNotFoundError extends DomainError {
  override name = 'ModelNotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

/** An action the model's current status does not allow (rolling back a version that is not active, …). */
export class ModelStateError extends DomainError {
  override name = 'ModelStateError';
  constructor(message: string) {
    super('conflict', message);
  }
}
