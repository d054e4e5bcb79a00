// The console's copy of the incident transition table is the domain's, and offers only legal
// actions from each status.
import { legalFrom as domainLegalFrom } from '@hpe/domain';
import { describe, expect, it } from 'vitest';
import { legalActions, legalFrom } from './incident-rules.js';

describe('incident rules', () => {
  it('are the domain decider table', () => {
    expect(legalFrom).toEqual(domainLegalFrom);
  });

  it('offer only the legal actions from each status', () => {
    expect(legalActions('reported')).toEqual(['acknowledge']);
    expect(legalActions('acknowledged')).toEqual(['assign', 'resolve']);
    expect(legalActions('assigned')).toEqual(['assign', 'resolve']);
    expect(legalActions('resolved')).toEqual(['reopen']);
    expect(legalActions('reopened')).toEqual(['acknowledge', 'assign']);
  });
});
