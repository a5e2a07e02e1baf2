// Public API of the shared phone-number and extension contracts.
export * from './e164';
export * from './normalise-phone-number';
