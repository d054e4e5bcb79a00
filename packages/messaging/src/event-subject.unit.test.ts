import { describe, expect, it } from 'vitest';
import {
  eventCategoryFilter,
  eventSubject,
  InvalidSubjectTokenError,
  maxSubjectTokenLength,
} from './event-subject.js';

describe('eventSubject', () => {
  it('builds events.<category>.<streamId>', () => {
    expect(eventSubject('turnout', 'turnout-HP-0001')).toBe('events.turnout.turnout-HP-0001');
    expect(eventSubject('tally', 'tally-HP-0001-national-assembly')).toBe(
      'events.tally.tally-HP-0001-national-assembly',
    );
    expect(eventSubject('voter', 'voter-3f9a_B:c=')).toBe('events.voter.voter-3f9a_B:c=');
  });

  it('accepts printable non-ASCII stream ids (area codes may be written in Vietnamese)', () => {
    expect(eventSubject('election', 'election-Hải-Phòng')).toBe(
      'events.election.election-Hải-Phòng',
    );
  });

  it.each([
    ['empty', ''],
    ['a dot (would add a token)', 'turnout-1.2'],
    ['a single-token wildcard', 'turnout-*'],
    ['a full wildcard', '>'],
    ['a wildcard inside', 'turnout->x'],
    ['a space', 'turnout 1'],
    ['a tab', 'turnout\t1'],
    ['CR LF (protocol injection)', 'x\r\nPUB events.turnout.y 1\r\n'],
    ['a NUL', 'turnout\u00001'],
    ['a DEL', 'turnout\u007f1'],
    ['a no-break space', 'turnout\u00a01'],
    ['an ideographic space', 'turnout\u30001'],
    ['a line separator', 'turnout\u20281'],
    ['a zero-width space', 'turnout\u200b1'],
    ['a right-to-left override', 'turnout\u202e1'],
    ['a BOM', '\ufeffturnout-1'],
    ['a lone surrogate', 'turnout-\ud8001'],
    ['an overlong id', 'x'.repeat(maxSubjectTokenLength + 1)],
    ['a megabyte', 'x'.repeat(1024 * 1024)],
  ])('refuses a stream id with %s', (_label, streamId) => {
    expect(() => eventSubject('turnout', streamId)).toThrow(InvalidSubjectTokenError);
  });

  it.each([
    ['empty', ''],
    ['upper case', 'Turnout'],
    ['a dot', 'turnout.x'],
    ['a wildcard', '*'],
    ['a full wildcard', '>'],
    ['a space', 'turn out'],
    ['a leading hyphen', '-turnout'],
    ['a trailing hyphen', 'turnout-'],
    ['an underscore', 'turn_out'],
    ['non-ASCII', 'phiếu'],
    ['a newline', 'turnout\n'],
  ])('refuses a category with %s', (_label, category) => {
    expect(() => eventSubject(category, 'turnout-1')).toThrow(InvalidSubjectTokenError);
    expect(() => eventCategoryFilter(category)).toThrow(InvalidSubjectTokenError);
  });

  it('accepts the longest allowed id', () => {
    const id = 'x'.repeat(maxSubjectTokenLength);
    expect(eventSubject('incident', id)).toBe(`events.incident.${id}`);
  });

  it('names the part and quotes a bounded, escaped excerpt of a hostile value', () => {
    try {
      eventSubject('turnout', `\r\n${'y'.repeat(10_000)}`);
      expect.unreachable('a hostile stream id was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidSubjectTokenError);
      const e = error as InvalidSubjectTokenError;
      expect(e.part).toBe('streamId');
      expect(e.message).toContain('\\r\\n');
      expect(e.message).not.toContain('\r');
      expect(e.message.length).toBeLessThan(200);
    }
  });
});

describe('eventCategoryFilter', () => {
  it('is the wildcard subject of one category', () => {
    expect(eventCategoryFilter('anomaly')).toBe('events.anomaly.>');
  });
});
