// deploy/kubernetes/*.yaml checked against the Kubernetes API's own JSON schemas (kubernetes-models), and against
// each other: the proxy's destinations are the web StatefulSet's pods, each process has the role it should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const folder = new URL('../../kubernetes/', import.meta.url);
const files = readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort();
const objects = files.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, folder), 'utf8')).map((doc) => ({ file, object: doc.toJS() })));

async function modelOf({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [null, apiVersion];
  const module = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  assert.ok(module[kind], `kubernetes-models has no ${apiVersion} ${kind}`);
  return module[kind];
}

const named = (kind, name) => objects.map((o) => o.object).find((o) => o.kind === kind && o.metadata.name === name);
const env = (container, name) => container.env.find((e) => e.name === name)?.value;

test('the manifests hold the objects the runbook names', () => {
  assert.deepEqual(files, ['proxy.yaml', 'settings.yaml', 'web.yaml', 'worker.yaml']);
  assert.deepEqual(objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`).sort(), [
    'ConfigMap/readerstudy-settings', 'Deployment/readerstudy-proxy', 'Deployment/readerstudy-worker', 'Secret/readerstudy-secrets',
    'Service/readerstudy', 'Service/readerstudy-web', 'StatefulSet/readerstudy-web']);
});

for (const { file, object } of objects) {
  test(`${file}: ${object.kind} ${object.metadata.name} is valid against the Kubernetes schema`, async () => {
    const Model = await modelOf(object);
    new Model(object).validate();
  });
}

test('the schema check can fail: a Deployment with replicas "two" is refused', async () => {
  const Model = await modelOf({ apiVersion: 'apps/v1', kind: 'Deployment' });
  const broken = structuredClone(named('Deployment', 'readerstudy-worker'));
  broken.spec.replicas = 'two';
  assert.throws(() => new Model(broken).validate(), /replicas/);
});

test('the proxy sends browsers to exactly the web StatefulSet\'s pods', () => {
  const web = named('StatefulSet', 'readerstudy-web');
  const proxy = named('Deployment', 'readerstudy-proxy').spec.template.spec.containers[0];
  const destinations = proxy.env.filter((e) => e.name.startsWith('ReverseProxy__Clusters__portals__Destinations__')).map((e) => e.value).sort();
  const pods = [...Array(web.spec.replicas).keys()].map((i) => `http://${web.metadata.name}-${i}.${web.spec.serviceName}:8080/`);
  assert.deepEqual(destinations, pods);
  assert.equal(named('Service', web.spec.serviceName).spec.clusterIP, 'None');
});

test('web pods are web nodes, workers are workers on GPU nodes, both probe the portal\'s health', () => {
  const web = named('StatefulSet', 'readerstudy-web').spec.template.spec;
  const worker = named('Deployment', 'readerstudy-worker').spec.template.spec;
  assert.equal(env(web.containers[0], 'Hosting__Role'), 'Web');
  assert.equal(env(worker.containers[0], 'Hosting__Role'), 'Worker');
  assert.equal(worker.nodeSelector['nvidia.com/gpu.present'], 'true');
  assert.equal(worker.containers[0].resources.limits['nvidia.com/gpu'], '1');
  for (const spec of [web, worker]) {
    assert.equal(spec.containers[0].readinessProbe.httpGet.path, '/health/ready');
    assert.equal(spec.containers[0].livenessProbe.httpGet.path, '/health/live');
  }
});

test('settings select PostgreSQL and keep the demo off; secrets are not in the ConfigMap', () => {
  const settings = named('ConfigMap', 'readerstudy-settings').data;
  assert.equal(settings.Database__Provider, 'Postgres');
  assert.equal(settings.Demo__Seed, 'false');
  assert.ok(!Object.keys(settings).some((k) => /ConnectionString|Secret|Password|AccessKey/.test(k)));
});
