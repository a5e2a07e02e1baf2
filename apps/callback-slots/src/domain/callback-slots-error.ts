// Builds the service's DomainErrors from the one catalogue in contracts, so a code and its kind
// (HTTP status) can never drift apart at a throw site.
import { CALLBACK_SLOTS_ERRORS, DomainError, type FieldError } from '@cc/contracts';

export type CallbackSlotsErrorName = keyof typeof CALLBACK_SLOTS_ERRORS;

export function callbackSlotsError(
  name: CallbackSlotsErrorName,
  message: string,
  errors: FieldError[] = [],
  details: Record<string, unknown> = {},
): DomainError {
  const { code, kind } = CALLBACK_SLOTS_ERRORS[name];
  return new DomainError(code, kind, message, errors, details);
}
