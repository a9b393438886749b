import * as fs from 'fs';
import * as path from 'path';
import { defineReferencePlatform } from '../../examples/reference-platform';
import { manualSecretCommands } from '../../examples/reference-platform/secrets';
import { kubernetesChart, manifestsOf } from '../util';

test('README lists the Secrets manual provisioning needs, exactly as ownedCredentials and ownedCertificates give them', () => {
  // As `npm run examples` synthesizes it: namespace reference-platform.
  const chart = kubernetesChart('reference-platform', 'reference-platform');
  defineReferencePlatform(chart);
  manifestsOf(chart);
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /<!-- manual-secrets:start -->\n```bash\n([\s\S]*?)\n```\n<!-- manual-secrets:end -->/.exec(readme);
  expect(block?.[1]).toEqual(manualSecretCommands(chart, false));
});
