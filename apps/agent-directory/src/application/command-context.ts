// Who caused a command, as written into the events' envelope (the correlation id comes from the request
// context). Flows pass it from step to step, so every event of one flow names the same actor and cause.
export type CommandContext = { actor: string; causationId?: string | null };
