import { requireTool } from '../tools';

describe('requireTool', () => {
  const savedCi = process.env.CI;
  afterEach(() => {
    if (savedCi === undefined) delete process.env.CI;
    else process.env.CI = savedCi;
    jest.restoreAllMocks();
  });

  test('returns true for a runnable tool', () => {
    expect(requireTool('node', 'install Node.js')).toBe(true);
    expect(requireTool('node -e "process.exit(0)"', 'install Node.js')).toBe(true);
  });

  test('locally warns with the tool and install hint, and returns false', () => {
    delete process.env.CI;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);

    expect(requireTool('no-such-conformance-tool', 'pip install no-such-conformance-tool')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/no-such-conformance-tool.*pip install no-such-conformance-tool/));
  });

  test('on CI throws instead of skipping', () => {
    process.env.CI = 'true';
    expect(() => requireTool('no-such-conformance-tool', 'pip install no-such-conformance-tool'))
      .toThrow(/no-such-conformance-tool.*pip install no-such-conformance-tool.*CI/);
  });

  test('a probe command line that fails counts as missing', () => {
    process.env.CI = '1';
    expect(() => requireTool('node -e "process.exit(3)"', 'nothing to install')).toThrow(/process\.exit\(3\)/);
  });
});
