// The NATS request subjects of every command service and the queue group each serves them in: the
// contract between the gateway (and any other caller) and the services, written down once.
/**
 * Where a caller sends many commands of one subject at once: `{"commands": [command, …]}` in,
 * `{"replies": [reply, …]}` out, one reply per command in order, each as a lone request would get.
 */
export function commandBatchSubject(subject: string): string {
  return `${subject}.batch`;
}

/** Most commands one batch request may carry. */
export const maxCommandsPerBatch = 1_000;

export const commandQueues = {
  turnout: 'turnout',
  voterCards: 'voter-cards',
  tallies: 'tallies',
  incidents: 'incidents',
  anomalies: 'anomalies',
} as const;

export const turnoutSubjects = {
  open: 'turnout.open',
  report: 'turnout.report',
  close: 'turnout.close',
} as const;

export const voterCardSubjects = {
  importBatch: 'voters.import-batch',
  cardDelivered: 'voters.card-delivered',
  cardUnreachable: 'voters.card-unreachable',
  strike: 'voters.strike',
  voteElsewhere: 'voters.vote-elsewhere',
  checkIn: 'voters.check-in',
} as const;

export const tallySubjects = {
  submitMinute: 'tallies.submit-minute',
  correctMinute: 'tallies.correct-minute',
  declareResult: 'tallies.declare-result',
} as const;

export const incidentSubjects = {
  report: 'incidents.report',
  acknowledge: 'incidents.acknowledge',
  assign: 'incidents.assign',
  note: 'incidents.note',
  resolve: 'incidents.resolve',
  reopen: 'incidents.reopen',
} as const;

export const anomalySubjects = {
  acknowledge: 'anomalies.acknowledge',
  dismiss: 'anomalies.dismiss',
} as const;
