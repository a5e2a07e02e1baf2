// The call-slots privileges (agent-directory grants them to roles; ADMIN, OPERATOR and SERVICE hold all).
export const CALL_SLOTS_READ = 'callSlots:read';
export const CALL_SLOTS_WRITE = 'callSlots:write';
