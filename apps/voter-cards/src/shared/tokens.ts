// Injection tokens of the voter-cards service's own providers (the kit's tokens cover the rest).
export const VOTER_CARD_COMMANDS = Symbol('voterCards.commands');
export const IMPORT_VOTERS = Symbol('voterCards.importVoters');
export const CLOCK = Symbol('voterCards.clock');
