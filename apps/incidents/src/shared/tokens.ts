// Injection tokens of the incidents service's own providers (the kit's tokens cover the rest).
export const INCIDENT_COMMANDS = Symbol('incidents.commands');
export const POLLING_AREA_COMMUNES = Symbol('incidents.pollingAreaCommunes');
export const CLOCK = Symbol('incidents.clock');
