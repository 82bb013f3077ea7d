import { InvalidInputError } from "../engine/errors";

/**
 * A branded `InvalidInputError` prefixed with the component. Callers pass a
 * message that never contains key material: say what is wrong and how to fix
 * it, not what the PEM contained.
 */
export function invalidInput(field: string, message: string): InvalidInputError {
  return new InvalidInputError(field, `crypto: ${message}`);
}
