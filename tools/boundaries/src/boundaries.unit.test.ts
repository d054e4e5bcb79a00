// Proves the layer check fires: the project's own dependency-cruiser rules run on fixture trees
// that cross a layer (must fail, naming rule and file) and on ones that do not (must pass).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const depcruise = `${repo}node_modules/.bin/depcruise`;
const config = `${repo}.dependency-cruiser.cjs`;

async function cruise(cwd: string, targets: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      depcruise,
      ['--config', config, '--output-type', 'err', ...targets],
      { cwd },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      output: `${e.stdout ?? ''}${e.stderr ?? ''}`,
    };
  }
}

describe('layer boundaries (dependency-cruiser)', () => {
  it('fails when packages/domain imports a framework, the file system or a database driver', async () => {
    const { code, output } = await cruise(`${fixtures}violating`, ['packages']);
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /pure-package-imports-io-or-framework: packages\/domain\/src\/decide\.ts → .*@nestjs\/common/,
    );
    expect(output).toMatch(
      /pure-package-imports-io-or-framework: packages\/domain\/src\/decide\.ts → (node:)?fs/,
    );
    expect(output).toMatch(
      /pure-package-imports-io-or-framework: packages\/domain\/src\/store\.ts → .*node_modules\/pg\//,
    );
  });

  it('fails when packages/reference-data imports NATS or an app', async () => {
    const { output } = await cruise(`${fixtures}violating`, ['packages']);
    expect(output).toMatch(/packages\/reference-data\/src\/load\.ts → .*@nats-io\/transport-node/);
    expect(output).toMatch(
      /packages\/reference-data\/src\/load\.ts → apps\/gateway\/src\/gateway\.ts/,
    );
  });

  it('passes pure code that uses only schemas, functions and other pure packages', async () => {
    const { code, output } = await cruise(`${fixtures}clean`, ['packages']);
    expect(output).not.toContain('error');
    expect(code).toBe(0);
  });

  it('passes on the project itself', async () => {
    const { code, output } = await cruise(repo, ['packages', 'apps', 'tools/stack']);
    expect(output).not.toMatch(/error/);
    expect(code).toBe(0);
  }, 60_000);
});
