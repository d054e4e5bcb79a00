// The voter stream: 3,189,339 fictional voters, unique ids and cards, streamed without a list.
import { describe, expect, it } from 'vitest';
import { defaultReferenceSeed, generateReferenceDataset } from './generate-dataset.js';
import { generateVoters } from './generate-voters.js';
import { Voter } from './schema.js';

const dataset = generateReferenceDataset({ seed: defaultReferenceSeed });
const firstArea = dataset.pollingAreas[0];
const lastArea = dataset.pollingAreas[dataset.pollingAreas.length - 1];

function firstAndLast(seed: string): [Voter | undefined, Voter | undefined] {
  const ids = [firstArea?.pollingAreaId ?? '', lastArea?.pollingAreaId ?? ''];
  let first: Voter | undefined;
  let last: Voter | undefined;
  for (const voter of generateVoters(dataset, { seed, pollingAreaIds: ids })) {
    first ??= voter;
    last = voter;
  }
  return [first, last];
}

describe('generateVoters', () => {
  it('yields exactly 3,189,339 voters, votersOnList per area, with unique citizen ids and cards', () => {
    const citizenIds = new Set<number>();
    const perArea = new Map<string, number>();
    let count = 0;
    let first: Voter | undefined;
    let last: Voter | undefined;
    let previousArea = '';
    let badCards = 0;
    let tooYoung = 0;
    for (const voter of generateVoters(dataset)) {
      count += 1;
      first ??= voter;
      last = voter;
      citizenIds.add(Number(voter.citizenId));
      const seq = (perArea.get(voter.pollingAreaId) ?? 0) + 1;
      perArea.set(voter.pollingAreaId, seq);
      // Areas come one after the other and cards count up within each: cards are unique
      // because pollingAreaId-seq is, with no set of 3 million strings to prove it.
      if (voter.pollingAreaId !== previousArea && seq !== 1) badCards += 1;
      if (voter.cardNumber !== `${voter.pollingAreaId}-${String(seq).padStart(4, '0')}`)
        badCards += 1;
      if (voter.birthYear > 2008) tooYoung += 1;
      if (count % 10_007 === 0) Voter.parse(voter);
      previousArea = voter.pollingAreaId;
    }
    expect(count).toBe(3_189_339);
    expect(citizenIds.size).toBe(3_189_339);
    expect(badCards).toBe(0);
    expect(tooYoung).toBe(0);
    expect(dataset.pollingAreas.every((a) => perArea.get(a.pollingAreaId) === a.votersOnList)).toBe(
      true,
    );
    // Same seed, same voters: regenerating only the first and last areas gives them again.
    expect(firstAndLast(defaultReferenceSeed)).toEqual([first, last]);
  }, 60_000);

  it('follows the 12-digit citizen id layout: province, century and sex, year of birth', () => {
    for (const voter of generateVoters(dataset, {
      pollingAreaIds: ['PA-10507-001', 'PA-11948-001'],
    })) {
      const province = voter.pollingAreaId.startsWith('PA-10507') ? '030' : '031';
      const century = voter.birthYear >= 2000 ? 2 : 0;
      const sex = voter.gender === 'female' ? 1 : 0;
      expect(voter.citizenId.slice(0, 6)).toBe(
        `${province}${century + sex}${String(voter.birthYear % 100).padStart(2, '0')}`,
      );
      expect(Voter.safeParse(voter).success).toBe(true);
    }
  });

  it('gives another seed other voters, and defaults to the dataset seed', () => {
    const [first] = firstAndLast('another-seed');
    expect(first).not.toEqual(firstAndLast(defaultReferenceSeed)[0]);
    const [byDefault] = generateVoters(dataset, {
      pollingAreaIds: [firstArea?.pollingAreaId ?? ''],
    });
    expect(byDefault).toEqual(firstAndLast(defaultReferenceSeed)[0]);
  });

  it('streams: a consumer can stop early without the rest being built', () => {
    const voters = generateVoters(dataset);
    const started = performance.now();
    for (let i = 0; i < 1_000; i += 1) voters.next();
    voters.return();
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
