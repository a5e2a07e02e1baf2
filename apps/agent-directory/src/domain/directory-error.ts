// Builds agent-directory's DomainErrors from the code table in contracts, so a code and its kind (HTTP
// status) can never disagree at a throw site.
import { DomainError, type AGENT_DIRECTORY_ERRORS, type FieldError } from '@cc/contracts';

type ErrorDefinition = (typeof AGENT_DIRECTORY_ERRORS)[keyof typeof AGENT_DIRECTORY_ERRORS];

export function directoryError(
  definition: ErrorDefinition,
  message: string,
  errors: FieldError[] = [],
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError(definition.code, definition.kind, message, errors, details);
}
