// What the stack commands print: short timestamped lines on the terminal, the same in stack.log.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StackLogger {
  step(title: string): void;
  info(line: string): void;
  error(line: string): void;
}

export function stackLogger(logFile: string, { quiet = false } = {}): StackLogger {
  const write = (level: string, line: string, stream: NodeJS.WriteStream): void => {
    const stamp = new Date().toISOString();
    // The folder is made again on every write: stack:reset wipes it while the logger is in use.
    mkdirSync(dirname(logFile), { recursive: true });
    appendFileSync(logFile, `${stamp} ${level} ${line}\n`);
    if (!quiet) stream.write(`${stamp.slice(11, 19)} ${line}\n`);
  };
  return {
    step: (title) => write('STEP', `▶ ${title}`, process.stdout),
    info: (line) => write('INFO', `  ${line}`, process.stdout),
    error: (line) => write('ERROR', `✖ ${line}`, process.stderr),
  };
}
