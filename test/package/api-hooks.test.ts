import * as fs from 'fs';
import * as path from 'path';
import { renderExtensionHooks } from '../../projenrc/api-hooks';

const root = path.join(__dirname, '..', '..');

/** Every `protected` method of every exported construct class under src/, as `Class.method`. */
function protectedHooksInSource(): string[] {
  const hooks: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) { walk(file); continue; }
      if (!file.endsWith('.ts')) continue;
      const source = fs.readFileSync(file, 'utf8');
      // Classes split the file: a protected method belongs to the last class declared above it.
      const parts = source.split(/^export class (\w+)/m);
      for (let i = 1; i < parts.length; i += 2) {
        for (const match of parts[i + 1].matchAll(/^ {2}protected (\w+)\(/gm)) hooks.push(`${parts[i]}.${match[1]}`);
      }
    }
  };
  walk(path.join(root, 'src'));
  // ServiceStack is internal (not exported from the package): its protected members are not an extension point.
  return hooks.filter(hook => !hook.startsWith('ServiceStack.')).sort();
}

describe('API.md documents the extension hooks', () => {
  const api = fs.readFileSync(path.join(root, 'API.md'), 'utf8');
  const section = api.slice(api.indexOf('## Extension hooks'));

  test('every protected hook of every construct has an entry with its signature', () => {
    const hooks = protectedHooksInSource();
    expect(hooks.length).toBeGreaterThanOrEqual(21);
    for (const hook of hooks) {
      const [cls, method] = hook.split('.');
      expect(section).toContain(`### ${cls} `);
      const classSection = section.slice(section.indexOf(`### ${cls} `)).split(/\n### /)[0];
      expect(classSection).toContain(`protected ${method}(`);
    }
  });

  test('the renderer lists protected methods only, with their parameters and docs', () => {
    const rendered = renderExtensionHooks({
      types: {
        'lib.Widget': {
          kind: 'class',
          name: 'Widget',
          methods: [
            { name: 'render', docs: { summary: 'Public.' } },
            {
              name: 'configure',
              protected: true,
              docs: { summary: 'Hook: adjusts it.', remarks: 'Runs early.' },
              parameters: [{ name: '_props', type: { fqn: 'lib.WidgetProps' }, docs: { summary: 'the props | all of them.' } }],
            },
          ],
        },
        'lib.Plain': { kind: 'class', name: 'Plain', methods: [{ name: 'run' }] },
      },
    });
    expect(rendered).toContain('### Widget');
    expect(rendered).toContain('protected configure(props: WidgetProps): void');
    expect(rendered).toContain('| `props` | `WidgetProps` | the props \\| all of them. |');
    expect(rendered).toContain('Hook: adjusts it.\n\nRuns early.');
    expect(rendered).not.toContain('render');
    expect(rendered).not.toContain('Plain');
  });
});
