// Injection tokens of the tallies service's own providers (the kit's tokens cover the rest).
export const TALLY_COMMANDS = Symbol('tallies.commands');
export const RESULT_DECLARATIONS = Symbol('tallies.resultDeclarations');
export const CLOCK = Symbol('tallies.clock');
