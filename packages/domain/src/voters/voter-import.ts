// One row of the NDJSON voter import, checked before anything else touches it. The service then
// replaces citizenId by its HMAC (the voterKey) and never stores or logs the ID itself.
import { z } from 'zod';
import { codedError, err, ok, type CodedError, type Result } from '../result.js';
import {
  VoterBirthYear,
  VoterCardNumber,
  VoterFullName,
  VoterGender,
  VoterPollingAreaId,
} from './voter-schemas.js';

export type VoterImportCode =
  | 'VOTER.IMPORT_LINE_TOO_LONG'
  | 'VOTER.IMPORT_LINE_NOT_JSON'
  | 'VOTER.IMPORT_ROW_INVALID'
  | 'VOTER.TOO_YOUNG';

/** Election day (Bạch Long Vĩ votes on the 14th, the same year) and the voting age (Art. 2). */
export const voterImportRules = {
  electionDate: '2026-03-15',
  minVoterAge: 18,
  /** A real row is under 200 characters; refusing long lines before parsing bounds the work. */
  maxLineLength: 1_000,
} as const;

const electionYear = Number(voterImportRules.electionDate.slice(0, 4));

/**
 * Căn cước number: 3 digits of province, 1 of century and sex (0/1: 1900s, 2/3: 2000s), 2 of the
 * birth year, 6 more. The century and year digits must agree with the row's birth year, which
 * catches shifted columns before a wrong HMAC blocks the real citizen as a "duplicate".
 */
const CitizenId = z.string().regex(/^\d{12}$/, 'expected a 12-digit citizen id');

export const VoterImportRow = z.strictObject({
  citizenId: CitizenId,
  fullName: VoterFullName,
  birthYear: VoterBirthYear,
  gender: VoterGender.optional(),
  pollingAreaId: VoterPollingAreaId,
  cardNumber: VoterCardNumber,
});
export type VoterImportRow = z.infer<typeof VoterImportRow>;

export interface VoterImportIssue {
  readonly path: string;
  readonly message: string;
}

function rowInvalid(
  lineNumber: number,
  issues: readonly VoterImportIssue[],
): CodedError<VoterImportCode> {
  return codedError(
    'VOTER.IMPORT_ROW_INVALID',
    `line ${lineNumber}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { lineNumber, issues },
  );
}

/** Cross-field checks zod's shape cannot state; messages never repeat the citizen ID. */
function crossFieldIssues(row: VoterImportRow): VoterImportIssue[] {
  const issues: VoterImportIssue[] = [];
  const centurySex = row.citizenId.charCodeAt(3) - 48;
  const century = centurySex < 2 ? 1900 : centurySex < 4 ? 2000 : -1;
  const year = century + Number(row.citizenId.slice(4, 6));
  if (century < 0 || year !== row.birthYear)
    issues.push({ path: 'citizenId', message: 'does not encode the row’s birth year' });
  else if (row.gender !== undefined && (centurySex % 2 === 1) !== (row.gender === 'female'))
    issues.push({ path: 'citizenId', message: 'does not encode the row’s gender' });
  if (!row.cardNumber.startsWith(`${row.pollingAreaId}-`))
    issues.push({ path: 'cardNumber', message: 'is not a card of the row’s polling area' });
  return issues;
}

/**
 * Parses and checks line `lineNumber` (1-based) of the import. Errors name the line and never
 * quote the input: a rejected line may hold a citizen ID, and errors get logged.
 */
export function parseVoterImportLine(
  line: string,
  lineNumber: number,
): Result<VoterImportRow, CodedError<VoterImportCode>> {
  if (line.length > voterImportRules.maxLineLength)
    return err(
      codedError(
        'VOTER.IMPORT_LINE_TOO_LONG',
        `line ${lineNumber}: longer than ${voterImportRules.maxLineLength} characters`,
        { lineNumber, length: line.length },
      ),
    );
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // V8's SyntaxError quotes the start of the line, which may be a citizen ID: not passed on.
    return err(
      codedError('VOTER.IMPORT_LINE_NOT_JSON', `line ${lineNumber}: not a JSON value`, {
        lineNumber,
      }),
    );
  }
  const parsed = VoterImportRow.safeParse(value);
  if (!parsed.success)
    return err(
      rowInvalid(
        lineNumber,
        parsed.error.issues.map((issue) => ({
          path: issue.path.length === 0 ? '(row)' : issue.path.map(String).join('.'),
          message: issue.message,
        })),
      ),
    );
  const row = parsed.data;
  const issues = crossFieldIssues(row);
  if (issues.length > 0) return err(rowInvalid(lineNumber, issues));
  // A birth year alone cannot prove someone born in electionYear - 18 is under age (their birthday
  // may be before 15 March), so only those certainly under 18 on election day are refused.
  if (row.birthYear > electionYear - voterImportRules.minVoterAge)
    return err(
      codedError(
        'VOTER.TOO_YOUNG',
        `line ${lineNumber}: born in ${row.birthYear}, under ${voterImportRules.minVoterAge} on ${voterImportRules.electionDate}`,
        { lineNumber, birthYear: row.birthYear },
      ),
    );
  return ok(row);
}
