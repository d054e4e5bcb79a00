// Injection token of the turnout service's own provider (the kit's tokens cover the rest).
export const TURNOUT_COMMANDS = Symbol('turnout.commands');
