import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { compareNames, exportedDeclarations, exportedNames, INDEX, listedNames, PUBLIC_API_LIST, REGENERATE, sourceProgram } from './public-api';
import * as library from '../../src';

const program = sourceProgram();
const exported = exportedNames(program);

/**
 * Kubernetes objects that escape hatches hand out as plain `ApiObject`s: custom resources, for which
 * the project has no generated class, and ServiceCluster's `deployment`, the Argo Rollout with a canary.
 */
const PLAIN_API_OBJECTS = [
  'CertificateProvisioningResources.caCertificate',
  'CertificateProvisioningResources.caIssuer',
  'CertificateProvisioningResources.certificates',
  'CertificateProvisioningResources.selfSignedIssuer',
  'ExternalSecretsResources.externalSecrets',
  'ExternalSecretsResources.passwordGenerators',
  'GatewayKubernetesResources.certificate',
  'PrometheusOperatorObjects.prometheusRule',
  'PrometheusOperatorObjects.serviceMonitors',
  'QueueWorkerKubernetesResources.scaledObject',
  'QueueWorkerKubernetesResources.triggerAuthentication',
  'ServiceClusterKubernetesResources.analysisTemplate',
  'ServiceClusterKubernetesResources.deployment',
];

describe('the public API is a deliberate list', () => {
  test('src/index.ts exports exactly the names of test/package/public-api.txt', () => {
    const names = exported.map(e => e.name);
    const listed = listedNames();
    const added = names.filter(name => !listed.includes(name));
    const removed = listed.filter(name => !names.includes(name));
    const duplicated = listed.filter((name, i) => listed.indexOf(name) !== i);
    if (added.length + removed.length + duplicated.length > 0) {
      throw new Error([
        `src/index.ts no longer exports what ${path.relative(process.cwd(), PUBLIC_API_LIST)} lists.`,
        ...(added.length ? [`  exported, not listed: ${added.join(', ')}`] : []),
        ...(removed.length ? [`  listed, not exported (a removal breaks users): ${removed.join(', ')}`] : []),
        ...(duplicated.length ? [`  listed twice: ${duplicated.join(', ')}`] : []),
        'If the change is deliberate, add or remove these names in the list (one per line, sorted), or regenerate it with',
        `  ${REGENERATE}`,
        'and review its diff. Otherwise drop the export from src/index.ts.',
      ].join('\n'));
    }
    expect([...listed].sort(compareNames)).toEqual(names);
  });

  test('src/index.ts names every export: no `export *`', () => {
    const index = fs.readFileSync(INDEX, 'utf8');
    expect(index).not.toMatch(/export \*/);
  });

  test('nothing internal is exported: no `_` prefix, no @internal declaration', () => {
    expect(exported.filter(e => e.name.startsWith('_') || e.internal).map(e => e.name)).toEqual([]);
  });

  test('every export is a class, interface or enum, the kinds jsii carries to other languages', () => {
    // A function or constant exported from here would reach TypeScript users only, by accident.
    expect(exported.filter(e => !['class', 'interface', 'enum'].includes(e.kind)).map(e => `${e.kind} ${e.name}`)).toEqual([]);
  });

  test('the module defines every exported class and enum, and no other key: interfaces are exported with `export type`', () => {
    // `export { SomeInterface }` leaves an undefined key on the module wherever files are transpiled one by one (ts-jest, ts-node).
    const values = exported.filter(e => e.kind === 'class' || e.kind === 'enum').map(e => e.name);
    const keys = Object.keys(library).sort(compareNames);
    expect({ undefinedKeys: keys.filter(key => (library as Record<string, unknown>)[key] === undefined), keys })
      .toEqual({ undefinedKeys: [], keys: values });
  });
});

describe('Kubernetes escape hatches are typed', () => {
  test('no exported interface or class hands out a plain ApiObject, but for custom resources', () => {
    const plain: string[] = [];
    for (const [name, declarations] of exportedDeclarations(program)) {
      for (const declaration of declarations) {
        if (!ts.isInterfaceDeclaration(declaration) && !ts.isClassDeclaration(declaration)) continue;
        for (const member of declaration.members) {
          const isProperty = ts.isPropertySignature(member) || ts.isPropertyDeclaration(member);
          if (!isProperty || !member.type || !ts.isIdentifier(member.name)) continue;
          // eslint-disable-next-line no-bitwise
          const hidden = ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected);
          if (hidden === 0 && /\bApiObject\b/.test(member.type.getText())) plain.push(`${name}.${member.name.text}`);
        }
      }
    }
    // An object of a built-in kind is of a generated `k8s.Kube*` class (kubeObject builds one from JSON).
    expect(plain.sort(compareNames)).toEqual(PLAIN_API_OBJECTS);
  });
});
