// Injection token of the anomalies service's own provider (the kit's tokens cover the rest).
export const ANOMALY_COMMANDS = Symbol('anomalies.commands');
/** The clock the operators' commands are stamped with (the kit's clock; tests set it). */
export const ANOMALY_CLOCK = Symbol('anomalies.clock');
