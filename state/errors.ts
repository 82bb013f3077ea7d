import { InvalidInputError } from "../engine/errors";

/** A branded `InvalidInputError` prefixed with the component. Messages never quote file contents. */
export function invalidInput(field: string, message: string): InvalidInputError {
  return new InvalidInputError(field, `state: ${message}`);
}
